namespace Cosmos.Isolation.Telemetry;

/// <summary>Names of the Cosmos.Isolation meter, activity source, instruments and spans, for listeners and exporters
/// (<c>builder.AddMeter(IsolationTelemetry.MeterName)</c>, <c>builder.AddSource(IsolationTelemetry.ActivitySourceName)</c>).</summary>
public static class IsolationTelemetry
{
    /// <summary>The name of the meter: <c>Cosmos.Isolation</c>.</summary>
    public const string MeterName = "Cosmos.Isolation";

    /// <summary>The name of the activity source: <c>Cosmos.Isolation</c>.</summary>
    public const string ActivitySourceName = "Cosmos.Isolation";

    /// <summary>Counter of isolation level changes, tagged <c>cosmos.node</c> (<c>*</c> for the global breaker), <c>cosmos.from</c>, <c>cosmos.to</c>.</summary>
    public const string Transitions = "cosmos.isolation.transitions";

    /// <summary>Counter of calls rejected with <see cref="NodeIsolatedException"/>, tagged <c>cosmos.node</c> and <c>cosmos.level</c>.</summary>
    public const string Rejections = "cosmos.isolation.rejections";

    /// <summary>Counter of calls routed to an alternate, tagged <c>cosmos.node</c> and <c>cosmos.alternate</c>.</summary>
    public const string Failovers = "cosmos.isolation.failovers";

    /// <summary>Gauge of nodes currently blocked (node or subtree isolation).</summary>
    public const string IsolatedNodes = "cosmos.isolation.isolated_nodes";

    /// <summary>Gauge that is 1 while the global breaker is open.</summary>
    public const string Global = "cosmos.isolation.global";

    /// <summary>Gauge of each node's health score in [0, 1], tagged <c>cosmos.node</c>.</summary>
    public const string Health = "cosmos.isolation.health";

    /// <summary>The span of one isolation decision: a node isolated, escalated, recovered or released, tagged with the node and the outcome.</summary>
    public const string DecisionSpan = "cosmos.isolation.decision";

    /// <summary>The span of one probe batch that measures an isolated node's fresh health.</summary>
    public const string ProbeSpan = "cosmos.isolation.probe";
}
