namespace Cosmos.Core.Graph;

/// <summary>Reusable scratch space for allocation-free subtree queries on one <see cref="DependencyGraph"/>.</summary>
/// <remarks>
/// Holds a queue of <c>NodeCount</c> integers and a visited bitmap of <c>NodeCount / 8</c> bytes. Not thread-safe:
/// use one instance per thread. The span returned by <see cref="GetTransitiveDependents"/> is valid until the next call.
/// </remarks>
public sealed class DependencyTraversal
{
    private readonly DependencyGraph _graph;
    private readonly int[] _queue;
    private readonly ulong[] _visited;

    /// <summary>Creates a traversal for <paramref name="graph"/>.</summary>
    /// <param name="graph">The graph to traverse.</param>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is <see langword="null"/>.</exception>
    public DependencyTraversal(DependencyGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _graph = graph;
        _queue = new int[graph.NodeCount];
        _visited = new ulong[(graph.NodeCount + 63) >> 6];
    }

    /// <summary>Gets the graph this traversal runs on.</summary>
    public DependencyGraph Graph => _graph;

    /// <summary>Gets every node that depends on the node at <paramref name="index"/>, directly or transitively, in breadth-first order.</summary>
    /// <remarks>The start node is not included, even when a cycle leads back to it; each node appears once.</remarks>
    /// <param name="index">The start node index.</param>
    /// <param name="maxHops">The largest hop distance to follow; 1 gives the direct dependents only.</param>
    /// <returns>The dependents' indexes, valid until the next call on this traversal.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a node index, or <paramref name="maxHops"/> is negative.</exception>
    public ReadOnlySpan<int> GetTransitiveDependents(int index, int maxHops = int.MaxValue)
    {
        if ((uint)index >= (uint)_queue.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The node index {index} is not in [0, {_queue.Length}).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxHops);
        var count = _graph.TraverseDependents(index, maxHops, _queue, _visited);

        // Unmark only what this query marked, so a small subtree costs O(subtree) rather than O(NodeCount).
        _visited[index >> 6] &= ~(1UL << index);
        foreach (var node in _queue.AsSpan(0, count))
        {
            _visited[node >> 6] &= ~(1UL << node);
        }

        return _queue.AsSpan(0, count);
    }
}
