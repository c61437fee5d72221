using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cosmos.Isolation.Redis.Internal;

/// <summary>An instance's report as stored in Redis and published: the own decision per node.</summary>
/// <remarks>Times are Unix milliseconds of the publishing instance's clock; only liveness uses the reader's clock.</remarks>
internal sealed record WireReport(string Instance, long Time, long Ops, WireNode[] Nodes);

/// <summary>One node in a report.</summary>
internal sealed record WireNode(string Node, IsolationLevel Level, double Health, long Since, bool Manual);

/// <summary>An operator action in the operator log. Its sequence number is its 1-based position in the log.</summary>
internal sealed record WireOperatorAction(string Origin, string Id, string Action, string? Node, IsolationScope Scope);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(WireReport))]
[JsonSerializable(typeof(WireOperatorAction))]
internal sealed partial class WireJsonContext : JsonSerializerContext;

/// <summary>The operator actions' names on the wire and in metrics.</summary>
internal static class OperatorActions
{
    public const string Isolate = "isolate";
    public const string Release = "release";
    public const string IsolateAll = "isolate-all";
    public const string ReleaseAll = "release-all";
}

/// <summary>Keys and channel of one cluster, derived once from the options.</summary>
internal sealed class ClusterKeys(string prefix, string cluster)
{
    private readonly string _root = $"{prefix}:{cluster}";

    /// <summary>The set of instance ids that have published a report.</summary>
    public string Instances => $"{_root}:instances";

    /// <summary>The operator log: a list of <see cref="WireOperatorAction"/>, appended with RPUSH.</summary>
    public string OperatorLog => $"{_root}:operator-log";

    /// <summary>The channel carrying reports (<c>r</c> + JSON) and operator-log notifications (<c>o</c>).</summary>
    public string Channel => $"{_root}:events";

    /// <summary>The key of one instance's report, expiring after the peer timeout.</summary>
    public string Report(string instanceId) => $"{_root}:report:{instanceId}";

    public static byte[] Serialize(WireReport report) => JsonSerializer.SerializeToUtf8Bytes(report, WireJsonContext.Default.WireReport);

    public static WireReport? DeserializeReport(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, WireJsonContext.Default.WireReport);

    public static byte[] Serialize(WireOperatorAction action) => JsonSerializer.SerializeToUtf8Bytes(action, WireJsonContext.Default.WireOperatorAction);

    public static WireOperatorAction? DeserializeAction(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, WireJsonContext.Default.WireOperatorAction);
}
