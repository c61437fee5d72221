using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cosmos.Isolation.Internal;

namespace Cosmos.Isolation.Telemetry;

/// <summary>Owns the <c>Cosmos.Isolation</c> meter (from the injected <see cref="IMeterFactory"/>) and the package's activity source.</summary>
internal sealed class IsolationInstruments : IDisposable
{
    internal static readonly ActivitySource ActivitySource = new(IsolationTelemetry.ActivitySourceName);

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _transitions;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _failovers;

    public IsolationInstruments(IMeterFactory? factory, IsolationController controller)
    {
        _ownsMeter = factory is null;
        _meter = factory?.Create(IsolationTelemetry.MeterName) ?? new Meter(IsolationTelemetry.MeterName);
        _transitions = _meter.CreateCounter<long>(IsolationTelemetry.Transitions, "{transition}", "Isolation level changes of nodes (node * is the global breaker).");
        _rejections = _meter.CreateCounter<long>(IsolationTelemetry.Rejections, "{call}", "Calls rejected with NodeIsolatedException.");
        _failovers = _meter.CreateCounter<long>(IsolationTelemetry.Failovers, "{call}", "Calls routed to an alternate while their node was isolated.");
        _meter.CreateObservableGauge(IsolationTelemetry.IsolatedNodes, () => controller.Nodes.Count(n => !n.Verdict.Passes), "{node}", "Nodes currently blocked (node or subtree isolation).");
        _meter.CreateObservableGauge(IsolationTelemetry.Global, () => controller.GlobalBlocked ? 1 : 0, "{state}", "1 while the L7 global breaker is open.");
        _meter.CreateObservableGauge(IsolationTelemetry.Health, () => controller.Nodes.Select(n => new Measurement<double>(n.Decision.Health, new KeyValuePair<string, object?>("cosmos.node", n.Id))), "1", "Health score of each node in [0, 1].");
    }

    public static Activity? StartDecision(string nodeId, string decision)
    {
        var activity = ActivitySource.StartActivity(IsolationTelemetry.DecisionSpan);
        activity?.SetTag("cosmos.node", nodeId).SetTag("cosmos.decision", decision);
        return activity;
    }

    public void Transition(string node, IsolationLevel from, IsolationLevel to)
    {
        if (_transitions.Enabled)
        {
            _transitions.Add(1, new KeyValuePair<string, object?>("cosmos.node", node), new KeyValuePair<string, object?>("cosmos.from", from.ToString()), new KeyValuePair<string, object?>("cosmos.to", to.ToString()));
        }
    }

    public void Rejected(string node, IsolationLevel level)
    {
        if (_rejections.Enabled)
        {
            _rejections.Add(1, new KeyValuePair<string, object?>("cosmos.node", node), new KeyValuePair<string, object?>("cosmos.level", level.ToString()));
        }
    }

    public void FailedOver(string node, string alternate)
    {
        if (_failovers.Enabled)
        {
            _failovers.Add(1, new KeyValuePair<string, object?>("cosmos.node", node), new KeyValuePair<string, object?>("cosmos.alternate", alternate));
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
