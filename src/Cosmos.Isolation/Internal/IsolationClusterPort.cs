namespace Cosmos.Isolation.Internal;

/// <summary>What this instance decided about one node from its own evidence, without any imposed isolation.</summary>
/// <param name="NodeId">The node id.</param>
/// <param name="Level">Normal, Warning, Local or Subtree.</param>
/// <param name="Health">The node's health score in [0, 1].</param>
/// <param name="Recovery">The node's recovery stage.</param>
/// <param name="Manual">Whether an operator isolated the node.</param>
internal readonly record struct OwnNodeDecision(string NodeId, IsolationLevel Level, double Health, RecoveryStage Recovery, bool Manual);

/// <summary>The narrow seam a cluster coordinator uses: it reads the engine's own decisions and imposes or lifts isolations
/// that peers agreed on. Operator actions go through <see cref="IIsolationEngine"/> itself.</summary>
/// <remarks>Nothing here is on the call path: reading decisions copies scalar fields, imposing takes the controller's lock
/// like any decision.</remarks>
internal sealed class IsolationClusterPort
{
    private readonly IsolationController _controller;

    private IsolationClusterPort(IsolationEngine engine)
    {
        Engine = engine;
        _controller = engine.Controller;
    }

    /// <summary>The engine, for operator actions applied without being broadcast again.</summary>
    public IIsolationEngine Engine { get; }

    /// <summary>The engine's clock.</summary>
    public TimeProvider TimeProvider => _controller.TimeProvider;

    /// <summary>Whether the global breaker is open on this instance.</summary>
    public bool GloballyIsolated => _controller.GlobalBlocked;

    /// <summary>Creates the port over Cosmos.Isolation's engine.</summary>
    /// <exception cref="ArgumentException"><paramref name="engine"/> is not the engine registered by <c>AddCosmosIsolation</c>.</exception>
    public static IsolationClusterPort For(IIsolationEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine is IsolationEngine own
            ? new IsolationClusterPort(own)
            : throw new ArgumentException("The cluster view needs the engine registered by AddCosmosIsolation.", nameof(engine));
    }

    /// <summary>Appends the own decision of every node to <paramref name="into"/>, in declaration order.</summary>
    public void ReadOwnDecisions(List<OwnNodeDecision> into)
    {
        foreach (var node in _controller.Topology.Nodes)
        {
            var decision = node.Decision;
            var own = decision.Own;
            into.Add(own >= IsolationLevel.Local
                ? new OwnNodeDecision(node.Id, own, decision.Health, decision.Recovery, decision.Manual)
                : new OwnNodeDecision(node.Id, decision.Detected, decision.Health, RecoveryStage.None, false));
        }
    }

    /// <summary>Replaces the set of nodes isolated by the cluster.</summary>
    /// <returns><see langword="true"/> when the set changed.</returns>
    public bool Impose(IReadOnlyCollection<string> nodeIds) => _controller.SetImposedIsolations(nodeIds);

    /// <summary>The nodes currently isolated by the cluster.</summary>
    public IReadOnlyCollection<string> Imposed => _controller.ImposedIsolations;
}
