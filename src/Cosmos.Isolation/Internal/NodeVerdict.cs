namespace Cosmos.Isolation.Internal;

/// <summary>What the call path does with a node's calls, published by the controller as one immutable object.</summary>
/// <remarks>A healthy node's verdict is <see cref="Pass"/>: the call path reads one volatile reference and compares it.
/// Everything a rejection needs (level, cause, retry time) travels with the verdict, so a call never sees half a decision.</remarks>
internal sealed class NodeVerdict
{
    public static readonly NodeVerdict Pass = new(IsolationLevel.Normal, string.Empty, null, AdmissionKind.All, 1, null, false, null);

    public NodeVerdict(IsolationLevel level, string causeNodeId, DateTimeOffset? retryAt, AdmissionKind admission, double share,
        NodeRuntime? gatekeeper, bool globalOnly, NodeRuntime[]? alternates)
    {
        Level = level;
        CauseNodeId = causeNodeId;
        RetryAt = retryAt;
        Admission = admission;
        Share = share;
        Gatekeeper = gatekeeper;
        GlobalOnly = globalOnly;
        Alternates = alternates;
    }

    public bool Passes => ReferenceEquals(this, Pass);

    public IsolationLevel Level { get; }

    public string CauseNodeId { get; }

    /// <summary>When fresh evidence will be gathered; <see langword="null"/> when only an operator releases the node.</summary>
    public DateTimeOffset? RetryAt { get; }

    public AdmissionKind Admission { get; }

    /// <summary>The admitted share (partial recovery) or the trial budget (trial).</summary>
    public double Share { get; }

    /// <summary>The isolated node whose trial budget or admission counter decides (the node itself or its subtree root).</summary>
    public NodeRuntime? Gatekeeper { get; }

    /// <summary>Blocked only by global isolation: a call marked exempt passes.</summary>
    public bool GlobalOnly { get; }

    /// <summary>Failover targets, in declaration order.</summary>
    public NodeRuntime[]? Alternates { get; }
}

/// <summary>Which blocked calls are admitted.</summary>
internal enum AdmissionKind
{
    /// <summary>Every call (not blocked).</summary>
    All = 0,

    /// <summary>No call.</summary>
    None = 1,

    /// <summary>A budget of trial calls gathers fresh evidence.</summary>
    Trial = 2,

    /// <summary>A share of calls, spread evenly: exactly ⌊k·p⌋ of k.</summary>
    Partial = 3,
}
