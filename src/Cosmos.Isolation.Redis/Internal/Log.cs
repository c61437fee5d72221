using Microsoft.Extensions.Logging;

namespace Cosmos.Isolation.Redis.Internal;

/// <summary>Source-generated log messages of the cluster view; EventIds are stable, in Cosmos.Isolation.Redis's range 2500-2999.</summary>
internal static partial class Log
{
    [LoggerMessage(2501, LogLevel.Information, "Instance {InstanceId} joined cluster {Cluster}.", EventName = "ClusterJoined")]
    public static partial void ClusterJoined(ILogger logger, string instanceId, string cluster);

    [LoggerMessage(2502, LogLevel.Warning, "Cluster view stale: Redis has not answered for {Elapsed}; decisions are local until it does.", EventName = "ClusterViewStale")]
    public static partial void ClusterViewStale(ILogger logger, TimeSpan elapsed);

    [LoggerMessage(2503, LogLevel.Information, "Cluster view restored: {LiveInstances} live instances.", EventName = "ClusterViewRestored")]
    public static partial void ClusterViewRestored(ILogger logger, int liveInstances);

    [LoggerMessage(2504, LogLevel.Warning, "Node {NodeId} isolated by the cluster: {Votes} of {LiveInstances} live instances report it isolated (quorum {Required}).", EventName = "ClusterIsolationImposed")]
    public static partial void ClusterIsolationImposed(ILogger logger, string nodeId, int votes, int liveInstances, int required);

    [LoggerMessage(2505, LogLevel.Information, "Node {NodeId} no longer isolated by the cluster.", EventName = "ClusterIsolationLifted")]
    public static partial void ClusterIsolationLifted(ILogger logger, string nodeId);

    [LoggerMessage(2506, LogLevel.Information, "Operator action {Action} on {NodeId} from instance {Origin} applied (sequence {Sequence}).", EventName = "OperatorActionApplied")]
    public static partial void OperatorActionApplied(ILogger logger, string action, string? nodeId, string origin, long sequence);

    [LoggerMessage(2507, LogLevel.Information, "Operator action {Action} on {NodeId} published to the cluster (sequence {Sequence}).", EventName = "OperatorActionPublished")]
    public static partial void OperatorActionPublished(ILogger logger, string action, string? nodeId, long sequence);

    [LoggerMessage(2508, LogLevel.Debug, "Redis operation {Operation} failed.", EventName = "RedisOperationFailed")]
    public static partial void RedisOperationFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(2509, LogLevel.Warning, "The operator log in Redis is shorter than the {Applied} actions applied here (Redis lost its data); following the new log.", EventName = "OperatorLogReset")]
    public static partial void OperatorLogReset(ILogger logger, long applied);

    [LoggerMessage(2510, LogLevel.Warning, "Operator action {Action} names node {NodeId}, unknown on this instance; skipped.", EventName = "OperatorActionSkipped")]
    public static partial void OperatorActionSkipped(ILogger logger, string action, string? nodeId);

    [LoggerMessage(2511, LogLevel.Debug, "A cluster message could not be read and was ignored.", EventName = "MessageIgnored")]
    public static partial void MessageIgnored(ILogger logger, Exception exception);
}
