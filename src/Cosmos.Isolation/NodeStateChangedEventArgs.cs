using Polly.CircuitBreaker;

namespace Cosmos.Isolation;

/// <summary>Describes a change of a node's isolation level, recovery stage or breaker state.</summary>
public sealed class NodeStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="nodeId">The node id.</param>
    /// <param name="previousLevel">The level before the change.</param>
    /// <param name="level">The level after the change.</param>
    /// <param name="recovery">The recovery stage after the change.</param>
    /// <param name="breakerState">The breaker state after the change.</param>
    /// <param name="health">The node's health score.</param>
    /// <param name="impact">The node's impact.</param>
    /// <param name="timestamp">When the change happened.</param>
    public NodeStateChangedEventArgs(string nodeId, IsolationLevel previousLevel, IsolationLevel level, RecoveryStage recovery,
        CircuitState breakerState, double health, double impact, DateTimeOffset timestamp)
    {
        NodeId = nodeId;
        PreviousLevel = previousLevel;
        Level = level;
        Recovery = recovery;
        BreakerState = breakerState;
        Health = health;
        Impact = impact;
        Timestamp = timestamp;
    }

    /// <summary>The node id (<c>*</c> for the global breaker).</summary>
    public string NodeId { get; }

    /// <summary>The level before the change.</summary>
    public IsolationLevel PreviousLevel { get; }

    /// <summary>The level after the change.</summary>
    public IsolationLevel Level { get; }

    /// <summary>The recovery stage after the change.</summary>
    public RecoveryStage Recovery { get; }

    /// <summary>The breaker state after the change.</summary>
    public CircuitState BreakerState { get; }

    /// <summary>The node's health score in [0, 1].</summary>
    public double Health { get; }

    /// <summary>The node's impact in [0, 1].</summary>
    public double Impact { get; }

    /// <summary>When the change happened.</summary>
    public DateTimeOffset Timestamp { get; }
}
