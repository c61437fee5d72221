using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cosmos.Isolation.Redis.Telemetry;

/// <summary>Owns the <c>Cosmos.Isolation.Redis</c> meter (from the injected <see cref="IMeterFactory"/>) and the package's activity source.</summary>
internal sealed class IsolationRedisInstruments : IDisposable
{
    internal static readonly ActivitySource ActivitySource = new(IsolationRedisTelemetry.ActivitySourceName);

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _operatorActions;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _heartbeat;

    public IsolationRedisInstruments(IMeterFactory? factory, Func<bool> stale, Func<int> liveInstances, Func<int> clusterIsolated)
    {
        _ownsMeter = factory is null;
        _meter = factory?.Create(IsolationRedisTelemetry.MeterName) ?? new Meter(IsolationRedisTelemetry.MeterName);
        _meter.CreateObservableGauge(IsolationRedisTelemetry.Stale, () => stale() ? 1 : 0, "{state}", "1 while the cluster view is stale and decisions are local only.");
        _meter.CreateObservableGauge(IsolationRedisTelemetry.LiveInstances, liveInstances, "{instance}", "Live instances in this instance's cluster view.");
        _meter.CreateObservableGauge(IsolationRedisTelemetry.ClusterIsolatedNodes, clusterIsolated, "{node}", "Nodes isolated on this instance by the cluster quorum.");
        _operatorActions = _meter.CreateCounter<long>(IsolationRedisTelemetry.OperatorActions, "{action}", "Operator actions published (local) or applied from peers (remote).");
        _errors = _meter.CreateCounter<long>(IsolationRedisTelemetry.RedisErrors, "{error}", "Redis operations that failed or timed out.");
        _heartbeat = _meter.CreateHistogram<double>(IsolationRedisTelemetry.HeartbeatDuration, "s", "Heartbeat round trips to Redis.");
    }

    public static Activity? StartHeartbeat() => ActivitySource.StartActivity(IsolationRedisTelemetry.HeartbeatSpan);

    public static Activity? StartOperator(string action, string? nodeId)
    {
        var activity = ActivitySource.StartActivity(IsolationRedisTelemetry.OperatorSpan);
        activity?.SetTag("cosmos.action", action).SetTag("cosmos.node", nodeId);
        return activity;
    }

    public void OperatorAction(string action, bool local)
    {
        if (_operatorActions.Enabled)
        {
            _operatorActions.Add(1, new KeyValuePair<string, object?>("cosmos.action", action), new KeyValuePair<string, object?>("cosmos.origin", local ? "local" : "remote"));
        }
    }

    public void Error(string operation)
    {
        if (_errors.Enabled)
        {
            _errors.Add(1, new KeyValuePair<string, object?>("cosmos.operation", operation));
        }
    }

    public void Heartbeat(TimeSpan elapsed)
    {
        if (_heartbeat.Enabled)
        {
            _heartbeat.Record(elapsed.TotalSeconds);
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
