using Polly;

namespace Cosmos.Isolation;

/// <summary>Detects failing nodes, isolates them (node, subtree or whole system) and recovers them by health score.</summary>
/// <remarks>Thread-safe. Register with <c>services.AddCosmosIsolation(...)</c>.</remarks>
public interface IIsolationEngine
{
    /// <summary>Raised after a node's level, recovery stage or breaker state changes (Warning included).</summary>
    /// <remarks>Handlers run on the thread that caused the change, outside the engine's lock; keep them short.</remarks>
    event EventHandler<NodeStateChangedEventArgs>? StateChanged;

    /// <summary>Whether the L7 global breaker is open.</summary>
    bool IsGloballyIsolated { get; }

    /// <summary>Gets the node's pipeline; every call through it is observed, guarded by the node's breaker and by isolation.</summary>
    /// <param name="nodeId">The node id.</param>
    /// <returns>The node's pipeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nodeId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="nodeId"/> is empty.</exception>
    /// <exception cref="KeyNotFoundException">No node has this id.</exception>
    ResiliencePipeline GetPipeline(string nodeId);

    /// <summary>Gets the node's typed pipeline, which adds the node's declared fallback for <typeparamref name="TResult"/>, if any.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="nodeId">The node id.</param>
    /// <returns>The typed pipeline; it shares the node's circuit breaker with <see cref="GetPipeline(string)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nodeId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="nodeId"/> is empty.</exception>
    /// <exception cref="KeyNotFoundException">No node has this id.</exception>
    ResiliencePipeline<TResult> GetPipeline<TResult>(string nodeId);

    /// <summary>Whether a non-exempt call to the node would be blocked now (node, subtree or global isolation).</summary>
    /// <param name="nodeId">The node id.</param>
    /// <returns><see langword="true"/> when the node is blocked (also during trial and partial recovery); <see langword="false"/> for unknown ids.</returns>
    /// <exception cref="ArgumentException"><paramref name="nodeId"/> is <see langword="null"/> or empty.</exception>
    bool IsIsolated(string nodeId);

    /// <summary>Gets one node's state.</summary>
    /// <param name="nodeId">The node id.</param>
    /// <returns>The node's state.</returns>
    /// <exception cref="ArgumentException"><paramref name="nodeId"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="KeyNotFoundException">No node has this id.</exception>
    NodeState GetState(string nodeId);

    /// <summary>Gets the state of every node and of the global breaker.</summary>
    /// <returns>A snapshot.</returns>
    IsolationSnapshot GetSnapshot();

    /// <summary>Records the outcome of a call the host made outside the node's pipeline.</summary>
    /// <param name="nodeId">The node id.</param>
    /// <param name="success">Whether the call succeeded.</param>
    /// <param name="latency">How long it took; above the layer's slow-call threshold a success counts as a failure.</param>
    /// <exception cref="ArgumentException"><paramref name="nodeId"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="KeyNotFoundException">No node has this id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="latency"/> is negative.</exception>
    void ReportOutcome(string nodeId, bool success, TimeSpan latency);

    /// <summary>Classifies an impact the host computed itself and acts on it (Warning, or Local with escalation).</summary>
    /// <param name="nodeId">The node id.</param>
    /// <param name="impact">The impact in [0, 1].</param>
    /// <returns>The level the impact classified to on the node's layer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="impact"/> is NaN or outside [0, 1].</exception>
    /// <exception cref="ArgumentException"><paramref name="nodeId"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="KeyNotFoundException">No node has this id.</exception>
    IsolationLevel ReportImpact(string nodeId, double impact);

    /// <summary>Reports a health score the host measured: fresh evidence judged at once when the node is in trial or partial
    /// recovery, otherwise the node's current score.</summary>
    /// <param name="nodeId">The node id.</param>
    /// <param name="health">The health score in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="health"/> is NaN or outside [0, 1].</exception>
    /// <exception cref="ArgumentException"><paramref name="nodeId"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="KeyNotFoundException">No node has this id.</exception>
    void ReportHealth(string nodeId, double health);

    /// <summary>Runs detection, escalation and recovery for every node now, including due probes (a timer also does it every evaluation interval).</summary>
    /// <param name="cancellationToken">Cancels running probes; a cancelled probe gives no evidence.</param>
    /// <returns>A task that completes when due probes have been judged.</returns>
    Task EvaluateAsync(CancellationToken cancellationToken = default);

    /// <summary>Isolates a node (and with <see cref="IsolationScope.Subtree"/> its dependents) until <see cref="ReleaseAsync"/>.</summary>
    /// <param name="nodeId">The node id.</param>
    /// <param name="scope">The node alone or its subtree.</param>
    /// <param name="cancellationToken">Checked before acting; decisions are applied synchronously.</param>
    /// <returns>A completed task: the isolation is in effect when the method returns.</returns>
    /// <exception cref="ArgumentException"><paramref name="nodeId"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="KeyNotFoundException">No node has this id.</exception>
    Task IsolateAsync(string nodeId, IsolationScope scope = IsolationScope.Node, CancellationToken cancellationToken = default);

    /// <summary>Releases a node (and with <see cref="IsolationScope.Subtree"/> its dependents) from any own isolation, manual or automatic, and closes its breaker.</summary>
    /// <param name="nodeId">The node id.</param>
    /// <param name="scope">The node alone or its subtree.</param>
    /// <param name="cancellationToken">Checked before acting; decisions are applied synchronously.</param>
    /// <returns>A completed task: the release is in effect when the method returns.</returns>
    /// <exception cref="ArgumentException"><paramref name="nodeId"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="KeyNotFoundException">No node has this id.</exception>
    Task ReleaseAsync(string nodeId, IsolationScope scope = IsolationScope.Node, CancellationToken cancellationToken = default);

    /// <summary>Opens the global breaker by hand: every non-exempt call short-circuits until <see cref="ReleaseAllAsync"/>.</summary>
    /// <param name="cancellationToken">Checked before acting; decisions are applied synchronously.</param>
    /// <returns>A completed task: the global isolation is in effect when the method returns.</returns>
    Task IsolateAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Closes the global breaker and releases every node.</summary>
    /// <param name="cancellationToken">Checked before acting; decisions are applied synchronously.</param>
    /// <returns>A completed task: every node passes when the method returns.</returns>
    Task ReleaseAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a node at runtime; its dependencies must exist.</summary>
    /// <param name="node">The declaration.</param>
    /// <exception cref="ArgumentNullException"><paramref name="node"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The declaration is invalid (empty or duplicate id, unknown dependency); the message names the node.</exception>
    void AddNode(IsolationNode node);

    /// <summary>Removes a node that no other node depends on.</summary>
    /// <param name="nodeId">The node id.</param>
    /// <returns><see langword="true"/> when removed; <see langword="false"/> when no node has this id.</returns>
    /// <exception cref="ArgumentException"><paramref name="nodeId"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="InvalidOperationException">Other nodes depend on it or name it as an alternate; the message names them.</exception>
    bool RemoveNode(string nodeId);
}
