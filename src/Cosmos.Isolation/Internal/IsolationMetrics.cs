using System.Diagnostics.Metrics;

namespace Cosmos.Isolation.Internal;

/// <summary>The <c>Cosmos.Isolation</c> meter: transitions, rejections, isolated nodes, global state and per-node health.</summary>
internal sealed class IsolationMetrics : IDisposable
{
    public const string MeterName = "Cosmos.Isolation";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _transitions;
    private readonly Counter<long> _rejections;

    public IsolationMetrics(IMeterFactory? factory, IsolationEngine engine)
    {
        _ownsMeter = factory is null;
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _transitions = _meter.CreateCounter<long>("cosmos.isolation.transitions", "{transition}", "Isolation level changes of nodes (node * is the global breaker).");
        _rejections = _meter.CreateCounter<long>("cosmos.isolation.rejections", "{call}", "Calls short-circuited by isolation.");
        _meter.CreateObservableGauge("cosmos.isolation.isolated_nodes", () => engine.Nodes.Count(n => n.Blocked), "{node}", "Nodes currently blocked (node or subtree isolation).");
        _meter.CreateObservableGauge("cosmos.isolation.global", () => engine.GlobalBlocked ? 1 : 0, "{state}", "1 while the L7 global breaker is open.");
        _meter.CreateObservableGauge("cosmos.isolation.health", () => engine.Nodes.Select(n => new Measurement<double>(n.Health, new KeyValuePair<string, object?>("cosmos.node", n.Id))), "1", "Health score of each node in [0, 1].");
    }

    public void Transition(string node, IsolationLevel from, IsolationLevel to)
    {
        if (_transitions.Enabled)
        {
            _transitions.Add(1, new KeyValuePair<string, object?>("cosmos.node", node), new KeyValuePair<string, object?>("cosmos.from", from.ToString()), new KeyValuePair<string, object?>("cosmos.to", to.ToString()));
        }
    }

    public void Rejected(NodeRuntime node, IsolationLevel level)
    {
        if (_rejections.Enabled)
        {
            _rejections.Add(1, new KeyValuePair<string, object?>("cosmos.node", node.Id), new KeyValuePair<string, object?>("cosmos.level", level.ToString()));
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
