using System.Buffers;
using System.Globalization;

namespace Cosmos.Core.Graph;

/// <summary>An immutable dependency graph stored in compressed sparse row (CSR) form in both directions.</summary>
/// <remarks>
/// <para>Nodes are dense indexes <c>0 .. NodeCount − 1</c> with string ids. An edge "B depends on A" is stored once
/// as a dependent of A (<see cref="GetDependents"/>) and once as a dependency of B (<see cref="GetDependencies"/>);
/// both rows are sorted ascending and free of duplicates.</para>
/// <para>Cycles (including a node depending on itself) are allowed. Every traversal visits each node at most once,
/// so all of them terminate. Memory is about <c>8·(NodeCount + EdgeCount)</c> bytes plus the ids: 10^6 nodes and
/// 4×10^6 edges take about 40 MB.</para>
/// <para>The graph is immutable and safe to share between threads. Build one with <see cref="DependencyGraphBuilder"/>.</para>
/// </remarks>
public sealed class DependencyGraph
{
    private readonly string?[] _ids;
    private readonly Dictionary<string, int> _indexById;
    private readonly int[] _dependentOffsets;
    private readonly int[] _dependents;
    private readonly int[] _dependencyOffsets;
    private readonly int[] _dependencies;

    internal DependencyGraph(string?[] ids, Dictionary<string, int> indexById, int[] dependentOffsets, int[] dependents, int[] dependencyOffsets, int[] dependencies)
    {
        _ids = ids;
        _indexById = indexById;
        _dependentOffsets = dependentOffsets;
        _dependents = dependents;
        _dependencyOffsets = dependencyOffsets;
        _dependencies = dependencies;
    }

    /// <summary>Gets the number of nodes.</summary>
    public int NodeCount => _ids.Length;

    /// <summary>Gets the number of distinct edges.</summary>
    public int EdgeCount => _dependents.Length;

    /// <summary>Gets the index of the node with the given id.</summary>
    /// <param name="id">The node id (for an unnamed node, <c>#</c> followed by its index).</param>
    /// <returns>The node's index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No node has this id.</exception>
    public int GetIndex(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return TryGetIndex(id, out var index)
            ? index
            : throw new KeyNotFoundException($"The node id '{id}' is not in the graph.");
    }

    /// <summary>Looks up the index of the node with the given id.</summary>
    /// <param name="id">The node id.</param>
    /// <param name="index">The node's index when found; otherwise −1.</param>
    /// <returns><see langword="true"/> when the graph has a node with this id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    public bool TryGetIndex(string id, out int index)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_indexById.TryGetValue(id, out index))
        {
            return true;
        }

        if (TryParseUnnamedId(id, out index) && index < _ids.Length && _ids[index] is null)
        {
            return true;
        }

        index = -1;
        return false;
    }

    /// <summary>Gets the id of the node at <paramref name="index"/>.</summary>
    /// <param name="index">The node index.</param>
    /// <returns>The id given to the builder, or <c>#index</c> for an unnamed node.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a node index.</exception>
    public string GetId(int index)
    {
        CheckIndex(index);
        return _ids[index] ?? DependencyGraphBuilder.FormatUnnamedId(index);
    }

    /// <summary>Gets the nodes that depend directly on the node at <paramref name="index"/> (where its impact flows), sorted ascending.</summary>
    /// <param name="index">The node index.</param>
    /// <returns>The direct dependents' indexes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a node index.</exception>
    public ReadOnlySpan<int> GetDependents(int index)
    {
        CheckIndex(index);
        var start = _dependentOffsets[index];
        return _dependents.AsSpan(start, _dependentOffsets[index + 1] - start);
    }

    /// <summary>Gets the nodes the node at <paramref name="index"/> depends on directly, sorted ascending.</summary>
    /// <param name="index">The node index.</param>
    /// <returns>The direct dependencies' indexes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a node index.</exception>
    public ReadOnlySpan<int> GetDependencies(int index)
    {
        CheckIndex(index);
        var start = _dependencyOffsets[index];
        return _dependencies.AsSpan(start, _dependencyOffsets[index + 1] - start);
    }

    /// <summary>Gets the number of direct dependents of the node at <paramref name="index"/> (its fan-out).</summary>
    /// <param name="index">The node index.</param>
    /// <returns>The fan-out.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a node index.</exception>
    public int GetFanOut(int index)
    {
        CheckIndex(index);
        return _dependentOffsets[index + 1] - _dependentOffsets[index];
    }

    /// <summary>
    /// Writes every node that depends on the node at <paramref name="index"/>, directly or transitively (its subtree),
    /// into <paramref name="destination"/> in breadth-first order, and returns how many were written.
    /// </summary>
    /// <remarks>
    /// The start node is not included, even when a cycle leads back to it. Each node appears once. A destination of
    /// <see cref="NodeCount"/> elements is always large enough. For repeated calls without allocation use a
    /// <see cref="DependencyTraversal"/>; this method rents a visited bitmap of <c>NodeCount / 8</c> bytes from
    /// <see cref="ArrayPool{T}.Shared"/>.
    /// </remarks>
    /// <param name="index">The start node index.</param>
    /// <param name="destination">Receives the dependents' indexes; also used as the breadth-first queue.</param>
    /// <param name="maxHops">The largest hop distance to follow; 1 gives the direct dependents only.</param>
    /// <returns>The number of indexes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a node index, or <paramref name="maxHops"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short for the subtree.</exception>
    public int GetTransitiveDependents(int index, Span<int> destination, int maxHops = int.MaxValue)
    {
        CheckIndex(index);
        ArgumentOutOfRangeException.ThrowIfNegative(maxHops);
        var words = (_ids.Length + 63) >> 6;
        var rented = ArrayPool<ulong>.Shared.Rent(words);
        try
        {
            var visited = rented.AsSpan(0, words);
            visited.Clear();
            return TraverseDependents(index, maxHops, destination, visited);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    /// <summary>Gets the ids of every node that depends on the node with the given id, directly or transitively (start node excluded).</summary>
    /// <param name="id">The start node id.</param>
    /// <returns>The dependents' ids in breadth-first order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No node has this id.</exception>
    public IReadOnlyList<string> GetTransitiveDependentIds(string id)
    {
        var index = GetIndex(id);
        var buffer = ArrayPool<int>.Shared.Rent(System.Math.Max(_ids.Length, 1));
        try
        {
            var count = GetTransitiveDependents(index, buffer);
            var result = new string[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = GetId(buffer[i]);
            }

            return result;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
        }
    }

    /// <summary>Creates a reusable traversal with scratch buffers sized to this graph, for allocation-free repeated subtree queries.</summary>
    /// <returns>A new traversal; not thread-safe, use one per thread.</returns>
    public DependencyTraversal CreateTraversal() => new(this);

    internal ReadOnlySpan<int> DependentOffsets => _dependentOffsets;

    internal ReadOnlySpan<int> DependentEdges => _dependents;

    internal int TraverseDependents(int start, int maxHops, Span<int> queue, Span<ulong> visited)
    {
        visited[start >> 6] |= 1UL << start;
        if (maxHops == 0)
        {
            return 0;
        }

        var tail = 0;
        Expand(start, start, queue, visited, ref tail);
        var head = 0;
        var levelEnd = tail;
        var hop = 1;
        while (head < tail && hop < maxHops)
        {
            while (head < levelEnd)
            {
                Expand(queue[head++], start, queue, visited, ref tail);
            }

            levelEnd = tail;
            hop++;
        }

        return tail;
    }

    private void Expand(int node, int start, Span<int> destination, Span<ulong> visited, ref int tail)
    {
        var offsets = _dependentOffsets;
        var edges = _dependents;
        for (var e = offsets[node]; e < offsets[node + 1]; e++)
        {
            var v = edges[e];
            ref var word = ref visited[v >> 6];
            var bit = 1UL << v;
            if ((word & bit) == 0)
            {
                word |= bit;
                if (tail == destination.Length)
                {
                    throw new ArgumentException($"The destination holds {destination.Length} elements, fewer than the dependents of node {start}; {NodeCount} elements always suffice.", nameof(destination));
                }

                destination[tail++] = v;
            }
        }
    }

    internal static bool TryParseUnnamedId(string id, out int index)
    {
        index = -1;
        return id.Length > 1 && id[0] == '#' && char.IsAsciiDigit(id[1])
            && int.TryParse(id.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out index)
            && string.Equals(DependencyGraphBuilder.FormatUnnamedId(index), id, StringComparison.Ordinal);
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)_ids.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The node index {index} is not in [0, {_ids.Length}).");
        }
    }
}
