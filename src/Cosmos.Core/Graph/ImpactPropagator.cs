using Cosmos.Core.Telemetry;

namespace Cosmos.Core.Graph;

/// <summary>Propagates impact from source nodes to the nodes that depend on them, reusing its buffers on every call.</summary>
/// <remarks>
/// <para>Impact travels as one breadth-first wave from all sources at once, following edges from a dependency to its
/// dependents. Each node takes the value of the first hop that reaches it (its hop distance <c>h</c> from the nearest
/// source) and is expanded once, so a propagation costs <c>O(NodeCount + EdgeCount)</c> and terminates on cycles.
/// The rule, with <c>d = HopDecay</c>:</para>
/// <code>
/// carried(s) = impact(s)                                  for a source s (impact &gt; 0), hop 0
/// carried(v) = max over dependencies u at hop h−1 of carried(u) · split(u)
/// split(u)   = 1 / fanOut(u)  when SplitAcrossDependents, else 1
/// impact(v)  = carried(v) · max(0, 1 − h·d)               for a node first reached at hop h, 1 ≤ h ≤ MaxHops
/// </code>
/// <para>Arrivals at the same hop are combined with max, so no node exceeds the largest source impact and the result
/// lies in [0, 1]. A source keeps its own impact even when another source's wave reaches it. Nodes not reached
/// within <c>MaxHops</c> (or after the decay reaches 0) get 0.</para>
/// <para>Not thread-safe: use one propagator per thread. After construction, <see cref="Propagate(ReadOnlySpan{double}, Span{double})"/>
/// allocates nothing.</para>
/// </remarks>
public sealed class ImpactPropagator
{
    private readonly DependencyGraph _graph;
    private readonly double _decay;
    private readonly bool _split;
    private readonly int _maxHops;
    private readonly ulong[] _reached;
    private readonly ulong[] _currentHop;
    private readonly double[] _carried;
    private readonly int[] _queue;

    /// <summary>Creates a propagator for <paramref name="graph"/> with scratch buffers sized to it.</summary>
    /// <param name="graph">The dependency graph.</param>
    /// <param name="options">The propagation settings; the defaults when <see langword="null"/>. Read once.</param>
    /// <exception cref="ArgumentNullException"><paramref name="graph"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public ImpactPropagator(DependencyGraph graph, PropagationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        options ??= new PropagationOptions();
        var validation = new PropagationOptionsValidator().Validate(nameof(PropagationOptions), options);
        if (validation.Failed)
        {
            throw new ArgumentOutOfRangeException(nameof(options), validation.FailureMessage);
        }

        _graph = graph;
        _decay = options.HopDecay;
        _split = options.SplitAcrossDependents;
        _maxHops = options.MaxHops;
        // Two bitmaps (N/8 bytes each) rather than an int per node keep the hot random reads in L2.
        _reached = new ulong[(graph.NodeCount + 63) >> 6];
        _currentHop = new ulong[(graph.NodeCount + 63) >> 6];
        _carried = new double[graph.NodeCount];
        _queue = new int[graph.NodeCount];
    }

    /// <summary>Gets the graph this propagator runs on.</summary>
    public DependencyGraph Graph => _graph;

    /// <summary>Propagates the impacts of all nodes at once: <c>destination[v]</c> receives node v's propagated impact.</summary>
    /// <param name="sourceImpacts">Each node's own impact, in [0, 1]; 0 means "not a source". Length <see cref="DependencyGraph.NodeCount"/>.</param>
    /// <param name="destination">Receives every node's impact; at least <see cref="DependencyGraph.NodeCount"/> long. May be the same memory as <paramref name="sourceImpacts"/>.</param>
    /// <returns>The number of nodes with a non-zero impact in <paramref name="destination"/>, sources included.</returns>
    /// <exception cref="ArgumentException"><paramref name="sourceImpacts"/> has the wrong length, or <paramref name="destination"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A source impact is NaN, infinite or outside [0, 1] (the message names the first bad index).</exception>
    public int Propagate(ReadOnlySpan<double> sourceImpacts, Span<double> destination)
    {
        var n = _graph.NodeCount;
        if (sourceImpacts.Length != n)
        {
            throw new ArgumentException($"{nameof(sourceImpacts)} has {sourceImpacts.Length} elements; the graph has {n} nodes.", nameof(sourceImpacts));
        }

        CheckDestination(destination);
        ResetMarks();
        var tail = 0;
        for (var i = 0; i < sourceImpacts.Length; i++)
        {
            var impact = sourceImpacts[i];
            if (!(impact >= 0 && impact <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(sourceImpacts), impact, $"{nameof(sourceImpacts)}[{i}] = {impact} is not a finite value in [0, 1].");
            }

            if (impact > 0)
            {
                _reached[i >> 6] |= 1UL << i;
                _carried[i] = impact;
                _queue[tail++] = i;
            }
        }

        // Every source was read above, so writing the destination now is safe even when it overlaps the sources.
        destination[..n].Clear();
        return Spread(tail, destination);
    }

    /// <summary>Propagates the impact of a single source node: <c>destination[v]</c> receives node v's propagated impact.</summary>
    /// <param name="source">The source node index.</param>
    /// <param name="impact">The source's impact, in [0, 1].</param>
    /// <param name="destination">Receives every node's impact; at least <see cref="DependencyGraph.NodeCount"/> long.</param>
    /// <returns>The number of nodes with a non-zero impact, the source included.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is not a node index, or <paramref name="impact"/> is not a finite value in [0, 1].</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public int Propagate(int source, double impact, Span<double> destination)
    {
        var n = _graph.NodeCount;
        if ((uint)source >= (uint)n)
        {
            throw new ArgumentOutOfRangeException(nameof(source), source, $"The node index {source} is not in [0, {n}).");
        }

        if (!(impact >= 0 && impact <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(impact), impact, "The impact must be a finite value in [0, 1].");
        }

        CheckDestination(destination);
        ResetMarks();
        destination[..n].Clear();
        if (impact == 0)
        {
            return 0;
        }

        _reached[source >> 6] |= 1UL << source;
        _carried[source] = impact;
        _queue[0] = source;
        return Spread(1, destination);
    }

    private int Spread(int sourceCount, Span<double> destination)
    {
        using var activity = CoreInstrumentation.ActivitySource.StartActivity(CoreTelemetry.PropagateSpan);
        activity?.SetTag(CoreTelemetry.NodeCountTag, sourceCount);
        var reached = SpreadCore(sourceCount, destination);
        activity?.SetTag(CoreTelemetry.PropagationReachedTag, reached);
        return reached;
    }

    private int SpreadCore(int sourceCount, Span<double> destination)
    {
        var queue = _queue;
        var reachedMarks = _reached;
        var currentMarks = _currentHop;
        var carried = _carried;
        var offsets = _graph.DependentOffsets;
        var edges = _graph.DependentEdges;

        for (var k = 0; k < sourceCount; k++)
        {
            destination[queue[k]] = carried[queue[k]];
        }

        var reached = sourceCount;
        var tail = sourceCount;
        var head = 0;
        for (var h = 1; h <= _maxHops && head < tail; h++)
        {
            var factor = 1.0 - (h * _decay);
            if (factor <= 0)
            {
                break;
            }

            var levelEnd = tail;
            var levelStart = tail;
            while (head < levelEnd)
            {
                var u = queue[head++];
                var start = offsets[u];
                var end = offsets[u + 1];
                if (start == end)
                {
                    continue;
                }

                var c = _split ? carried[u] / (end - start) : carried[u];
                if (c == 0)
                {
                    continue;
                }

                for (var e = start; e < end; e++)
                {
                    var v = edges[e];
                    ref var word = ref reachedMarks[v >> 6];
                    var bit = 1UL << v;
                    if ((word & bit) == 0)
                    {
                        word |= bit;
                        currentMarks[v >> 6] |= bit;
                        carried[v] = c;
                        queue[tail++] = v;
                    }
                    else if ((currentMarks[v >> 6] & bit) != 0 && c > carried[v])
                    {
                        // Reached earlier in this same hop: same-hop arrivals combine with max.
                        carried[v] = c;
                    }
                }
            }

            for (var k = levelStart; k < tail; k++)
            {
                var v = queue[k];
                currentMarks[v >> 6] &= ~(1UL << v);
                var value = carried[v] * factor;
                destination[v] = value;
                if (value > 0)
                {
                    reached++;
                }
            }
        }

        return reached;
    }

    private void ResetMarks()
    {
        Array.Clear(_reached);
        Array.Clear(_currentHop);
    }

    private void CheckDestination(Span<double> destination)
    {
        if (destination.Length < _graph.NodeCount)
        {
            throw new ArgumentException($"{nameof(destination)} has {destination.Length} elements; the graph has {_graph.NodeCount} nodes.", nameof(destination));
        }
    }
}
