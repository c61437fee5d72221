using System.Globalization;

namespace Cosmos.Core.Graph;

/// <summary>Collects nodes and dependency edges and builds an immutable <see cref="DependencyGraph"/>.</summary>
/// <remarks>
/// <para>An edge <c>AddDependency(dependent, dependency)</c> means "<c>dependent</c> depends on <c>dependency</c>":
/// impact flows from the dependency to the dependent. Cycles and self-dependencies are allowed; duplicate edges are
/// collapsed into one when the graph is built.</para>
/// <para>Edges are accumulated in two growable <see cref="int"/> arrays, so bulk building (millions of edges through
/// the index overloads) allocates no object per edge. Nodes added with <see cref="AddNodes(int)"/> have no name of
/// their own; their id is <c>#</c> followed by the index (for example <c>#42</c>), which is why named ids may not
/// start with <c>#</c>.</para>
/// <para>The builder is not thread-safe.</para>
/// </remarks>
public sealed class DependencyGraphBuilder
{
    private readonly Dictionary<string, int> _indexById;
    private string?[] _ids;
    private int _nodeCount;
    private int[] _dependents;
    private int[] _dependencies;
    private int _edgeCount;

    /// <summary>Creates an empty builder.</summary>
    public DependencyGraphBuilder()
        : this(16, 16)
    {
    }

    /// <summary>Creates an empty builder with room for the given number of nodes and edges before it grows.</summary>
    /// <param name="nodeCapacity">The expected number of nodes.</param>
    /// <param name="edgeCapacity">The expected number of edges.</param>
    /// <exception cref="ArgumentOutOfRangeException">A capacity is negative.</exception>
    public DependencyGraphBuilder(int nodeCapacity, int edgeCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeCapacity);
        ArgumentOutOfRangeException.ThrowIfNegative(edgeCapacity);
        _indexById = new Dictionary<string, int>(StringComparer.Ordinal);
        _ids = new string?[System.Math.Max(nodeCapacity, 4)];
        _dependents = new int[System.Math.Max(edgeCapacity, 4)];
        _dependencies = new int[System.Math.Max(edgeCapacity, 4)];
    }

    /// <summary>Gets the number of nodes added so far.</summary>
    public int NodeCount => _nodeCount;

    /// <summary>Gets the number of edges added so far, duplicates included.</summary>
    public int EdgeCount => _edgeCount;

    /// <summary>Adds a named node and returns its dense index (0, 1, 2, ... in order of addition).</summary>
    /// <param name="id">The node id; unique, not empty, not starting with <c>#</c>.</param>
    /// <returns>The node's index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty, starts with <c>#</c> or was already added.</exception>
    public int AddNode(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0)
        {
            throw new ArgumentException("A node id must not be empty.", nameof(id));
        }

        if (id[0] == '#')
        {
            throw new ArgumentException($"The node id '{id}' starts with '#', which is reserved for unnamed nodes.", nameof(id));
        }

        if (!_indexById.TryAdd(id, _nodeCount))
        {
            throw new ArgumentException($"The node id '{id}' was already added.", nameof(id));
        }

        EnsureNodeCapacity(_nodeCount + 1);
        _ids[_nodeCount] = id;
        return _nodeCount++;
    }

    /// <summary>Adds <paramref name="count"/> unnamed nodes and returns the index of the first one.</summary>
    /// <param name="count">The number of nodes to add.</param>
    /// <returns>The index of the first added node; the others follow consecutively.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or the total would overflow.</exception>
    public int AddNodes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Array.MaxLength - _nodeCount);
        var first = _nodeCount;
        EnsureNodeCapacity(_nodeCount + count);
        _nodeCount += count;
        return first;
    }

    /// <summary>Records that <paramref name="dependent"/> depends on <paramref name="dependency"/>.</summary>
    /// <param name="dependent">The id of the node that depends on the other one (receives its impact).</param>
    /// <param name="dependency">The id of the node depended upon (the impact source).</param>
    /// <exception cref="ArgumentNullException">An id is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An id was not added.</exception>
    public void AddDependency(string dependent, string dependency)
    {
        ArgumentNullException.ThrowIfNull(dependent);
        ArgumentNullException.ThrowIfNull(dependency);
        AddDependency(ResolveForEdge(dependent, nameof(dependent)), ResolveForEdge(dependency, nameof(dependency)));
    }

    /// <summary>Records that the node at <paramref name="dependent"/> depends on the node at <paramref name="dependency"/>.</summary>
    /// <param name="dependent">The index of the node that depends on the other one.</param>
    /// <param name="dependency">The index of the node depended upon.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is not a node of this builder.</exception>
    public void AddDependency(int dependent, int dependency)
    {
        if ((uint)dependent >= (uint)_nodeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(dependent), dependent, $"The node index {dependent} is not in [0, {_nodeCount}).");
        }

        if ((uint)dependency >= (uint)_nodeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(dependency), dependency, $"The node index {dependency} is not in [0, {_nodeCount}).");
        }

        if (_edgeCount == _dependents.Length)
        {
            var size = (int)System.Math.Min((long)_dependents.Length * 2, Array.MaxLength);
            if (size == _edgeCount)
            {
                throw new InvalidOperationException("The graph cannot hold more edges.");
            }

            Array.Resize(ref _dependents, size);
            Array.Resize(ref _dependencies, size);
        }

        _dependents[_edgeCount] = dependent;
        _dependencies[_edgeCount] = dependency;
        _edgeCount++;
    }

    /// <summary>Records many edges at once: <c>dependents[i]</c> depends on <c>dependencies[i]</c>.</summary>
    /// <param name="dependents">The indexes of the depending nodes.</param>
    /// <param name="dependencies">The indexes of the nodes depended upon.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is not a node of this builder (the message names the first bad position).</exception>
    public void AddDependencies(ReadOnlySpan<int> dependents, ReadOnlySpan<int> dependencies)
    {
        if (dependents.Length != dependencies.Length)
        {
            throw new ArgumentException($"The spans differ in length: {nameof(dependents)} has {dependents.Length}, {nameof(dependencies)} has {dependencies.Length}.", nameof(dependencies));
        }

        for (var i = 0; i < dependents.Length; i++)
        {
            if ((uint)dependents[i] >= (uint)_nodeCount)
            {
                throw new ArgumentOutOfRangeException(nameof(dependents), $"{nameof(dependents)}[{i}] = {dependents[i]} is not a node index in [0, {_nodeCount}).");
            }

            if ((uint)dependencies[i] >= (uint)_nodeCount)
            {
                throw new ArgumentOutOfRangeException(nameof(dependencies), $"{nameof(dependencies)}[{i}] = {dependencies[i]} is not a node index in [0, {_nodeCount}).");
            }
        }

        var needed = (long)_edgeCount + dependents.Length;
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException("The graph cannot hold more edges.");
        }

        if (needed > _dependents.Length)
        {
            var size = (int)System.Math.Min(System.Math.Max(needed, (long)_dependents.Length * 2), Array.MaxLength);
            Array.Resize(ref _dependents, size);
            Array.Resize(ref _dependencies, size);
        }

        dependents.CopyTo(_dependents.AsSpan(_edgeCount));
        dependencies.CopyTo(_dependencies.AsSpan(_edgeCount));
        _edgeCount += dependents.Length;
    }

    /// <summary>Builds the immutable graph from the nodes and edges added so far; the builder stays usable.</summary>
    /// <returns>The graph in compressed sparse row form, in both directions.</returns>
    public DependencyGraph Build()
    {
        var n = _nodeCount;

        // Counting sort by dependency gives each node's dependents contiguously (the forward CSR).
        var forwardOffsets = new int[n + 1];
        for (var e = 0; e < _edgeCount; e++)
        {
            forwardOffsets[_dependencies[e] + 1]++;
        }

        for (var i = 0; i < n; i++)
        {
            forwardOffsets[i + 1] += forwardOffsets[i];
        }

        var forward = new int[_edgeCount];
        var cursor = forwardOffsets.AsSpan(0, n).ToArray();
        for (var e = 0; e < _edgeCount; e++)
        {
            forward[cursor[_dependencies[e]]++] = _dependents[e];
        }

        // Sort each row and drop duplicate edges, compacting in place; a repeated edge would otherwise
        // count twice in a node's fan-out.
        var write = 0;
        var rowStart = 0;
        for (var i = 0; i < n; i++)
        {
            var rowEnd = forwardOffsets[i + 1];
            var row = forward.AsSpan(rowStart, rowEnd - rowStart);
            row.Sort();
            forwardOffsets[i] = write;
            for (var k = 0; k < row.Length; k++)
            {
                if (k == 0 || row[k] != row[k - 1])
                {
                    forward[write++] = row[k];
                }
            }

            rowStart = rowEnd;
        }

        forwardOffsets[n] = write;
        if (write != forward.Length)
        {
            Array.Resize(ref forward, write);
        }

        // The reverse CSR (each node's dependencies) by a second counting sort over the deduplicated edges;
        // scanning rows in order keeps every reverse row sorted as well.
        var reverseOffsets = new int[n + 1];
        for (var e = 0; e < write; e++)
        {
            reverseOffsets[forward[e] + 1]++;
        }

        for (var i = 0; i < n; i++)
        {
            reverseOffsets[i + 1] += reverseOffsets[i];
        }

        var reverse = new int[write];
        reverseOffsets.AsSpan(0, n).CopyTo(cursor);
        for (var i = 0; i < n; i++)
        {
            for (var e = forwardOffsets[i]; e < forwardOffsets[i + 1]; e++)
            {
                reverse[cursor[forward[e]]++] = i;
            }
        }

        var ids = _ids.AsSpan(0, n).ToArray();
        var indexById = new Dictionary<string, int>(_indexById, StringComparer.Ordinal);
        return new DependencyGraph(ids, indexById, forwardOffsets, forward, reverseOffsets, reverse);
    }

    private int ResolveForEdge(string id, string paramName)
    {
        if (_indexById.TryGetValue(id, out var index))
        {
            return index;
        }

        if (DependencyGraph.TryParseUnnamedId(id, out index) && index < _nodeCount && _ids[index] is null)
        {
            return index;
        }

        throw new ArgumentException($"The node id '{id}' was not added to the graph.", paramName);
    }

    private void EnsureNodeCapacity(int needed)
    {
        if (needed > _ids.Length)
        {
            var size = (int)System.Math.Min(System.Math.Max(needed, (long)_ids.Length * 2), Array.MaxLength);
            Array.Resize(ref _ids, size);
        }
    }

    internal static string FormatUnnamedId(int index) => "#" + index.ToString(CultureInfo.InvariantCulture);
}
