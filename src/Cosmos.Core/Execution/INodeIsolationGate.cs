namespace Cosmos.Core.Execution;

/// <summary>Tells the <see cref="ParallelNodeExecutor"/> which nodes the host has isolated, so they are bypassed.</summary>
/// <remarks>
/// Implementations must be thread-safe and fast: the executor asks once per node, right before the node would start.
/// The default registration isolates nothing; an isolation engine replaces it with its own view of blocked nodes.
/// </remarks>
public interface INodeIsolationGate
{
    /// <summary>Gets a value indicating whether the node is isolated (blocked) and must not run.</summary>
    /// <param name="nodeId">The node id.</param>
    /// <returns><see langword="true"/> to skip the node.</returns>
    bool IsIsolated(string nodeId);
}
