using Cosmos.Core;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation;

/// <summary>A point-in-time view of one node, suitable for a health endpoint.</summary>
/// <param name="Id">The node id.</param>
/// <param name="Layer">The node's layer.</param>
/// <param name="Level">The effective isolation level (<see cref="IsolationLevel.Global"/> while the global breaker blocks the node).</param>
/// <param name="Health">The health score in [0, 1]: 1 − failure rate of the node's window when it holds enough calls.</param>
/// <param name="Impact">The last impact computed or reported for the node, in [0, 1].</param>
/// <param name="BreakerState">The state of the node's Polly circuit breaker.</param>
/// <param name="Recovery">Where the node stands on its way back to normal traffic.</param>
/// <param name="Admission">The fraction of calls admitted while the node is blocked (1 when not blocked).</param>
/// <param name="IsolatedBy">The node whose subtree isolation blocks this node, or its own id, or <see langword="null"/>.</param>
/// <param name="Successes">Calls that completed in time.</param>
/// <param name="Failures">Calls that failed with an exception.</param>
/// <param name="SlowCalls">Calls that succeeded slower than the layer's slow-call threshold.</param>
/// <param name="Rejected">Calls the isolation gate short-circuited.</param>
/// <param name="DependencyFailures">Calls that ran but were stopped by a dependency's breaker or isolation
/// (a <see cref="BrokenCircuitException"/> from a nested pipeline, or a failure already counted by the nested node);
/// they do not count against this node.</param>
/// <param name="FailedOver">Calls to this node that were routed to one of its alternates while it was isolated.</param>
public sealed record NodeState(
    string Id,
    CosmicLayer Layer,
    IsolationLevel Level,
    double Health,
    double Impact,
    CircuitState BreakerState,
    RecoveryStage Recovery,
    double Admission,
    string? IsolatedBy,
    long Successes,
    long Failures,
    long SlowCalls,
    long Rejected,
    long DependencyFailures,
    long FailedOver);
