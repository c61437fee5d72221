namespace Cosmos.Isolation.Redis.Telemetry;

/// <summary>Names of the Cosmos.Isolation.Redis meter, activity source, instruments and spans, for listeners and exporters
/// (<c>builder.AddMeter(IsolationRedisTelemetry.MeterName)</c>).</summary>
public static class IsolationRedisTelemetry
{
    /// <summary>The name of the meter: <c>Cosmos.Isolation.Redis</c>.</summary>
    public const string MeterName = "Cosmos.Isolation.Redis";

    /// <summary>The name of the activity source: <c>Cosmos.Isolation.Redis</c>.</summary>
    public const string ActivitySourceName = "Cosmos.Isolation.Redis";

    /// <summary>Gauge that is 1 while the cluster view is stale (Redis unreachable for longer than the peer timeout).</summary>
    public const string Stale = "cosmos.isolation.redis.stale";

    /// <summary>Gauge of live instances in this instance's view, itself included while the view is fresh.</summary>
    public const string LiveInstances = "cosmos.isolation.redis.live_instances";

    /// <summary>Gauge of nodes isolated on this instance by the quorum.</summary>
    public const string ClusterIsolatedNodes = "cosmos.isolation.redis.cluster_isolated_nodes";

    /// <summary>Counter of operator actions, tagged <c>cosmos.action</c> (isolate, release, isolate-all, release-all) and
    /// <c>cosmos.origin</c> (local: taken here and published; remote: taken on a peer and applied here).</summary>
    public const string OperatorActions = "cosmos.isolation.redis.operator_actions";

    /// <summary>Counter of Redis operations that failed or timed out, tagged <c>cosmos.operation</c>.</summary>
    public const string RedisErrors = "cosmos.isolation.redis.errors";

    /// <summary>Histogram of heartbeat round trips (publish the own report, read the peers and the operator log), in seconds.</summary>
    public const string HeartbeatDuration = "cosmos.isolation.redis.heartbeat.duration";

    /// <summary>The span of one heartbeat, when listened to.</summary>
    public const string HeartbeatSpan = "cosmos.isolation.redis.heartbeat";

    /// <summary>The span of one operator action applied from a peer, when listened to.</summary>
    public const string OperatorSpan = "cosmos.isolation.redis.operator";
}
