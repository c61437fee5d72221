using Polly.CircuitBreaker;

namespace Cosmos.Isolation;

/// <summary>A point-in-time view of every node and of the global breaker.</summary>
/// <param name="Timestamp">When the snapshot was taken (from the engine's <see cref="TimeProvider"/>).</param>
/// <param name="GlobalIsolation">Whether the L7 global breaker is open.</param>
/// <param name="GlobalBreakerState">The state of the global Polly circuit breaker.</param>
/// <param name="IndependentFailureShare">The share of nodes that stays isolated when any single failing node is explained
/// away (the smallest, over failing nodes <c>r</c>, share covered by the isolations of the other failing nodes); global
/// isolation starts when it reaches <see cref="CosmosIsolationOptions.GlobalIsolationShare"/>.</param>
/// <param name="Nodes">Every node, in declaration order.</param>
public sealed record IsolationSnapshot(
    DateTimeOffset Timestamp,
    bool GlobalIsolation,
    CircuitState GlobalBreakerState,
    double IndependentFailureShare,
    IReadOnlyList<NodeState> Nodes);
