using Polly.CircuitBreaker;

namespace Cosmos.Isolation;

/// <summary>A point-in-time view of every node and of the global breaker.</summary>
/// <param name="Timestamp">When the snapshot was taken (from the engine's <see cref="TimeProvider"/>).</param>
/// <param name="GlobalIsolation">Whether the L7 global breaker is open.</param>
/// <param name="GlobalBreakerState">The state of the global Polly circuit breaker.</param>
/// <param name="SystemVelocity">The per-node escape velocity of the whole system, 1 − (∏(1 − impact_i))^(1/N).</param>
/// <param name="Nodes">Every node, in declaration order.</param>
public sealed record IsolationSnapshot(
    DateTimeOffset Timestamp,
    bool GlobalIsolation,
    CircuitState GlobalBreakerState,
    double SystemVelocity,
    IReadOnlyList<NodeState> Nodes);
