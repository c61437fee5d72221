using BenchmarkDotNet.Attributes;
using Cosmos.Core.Layers;
using Cosmos.Core.Graph;
using Cosmos.Isolation;
using Cosmos.Isolation.Internal;

namespace Cosmos.Benchmarks.Isolation;

/// <summary>One escalation decision over a 10^6-node graph whose failing root has a 100k-node subtree: the subtree walk,
/// the cumulative velocity of its impacts, the scan for failing nodes and the proportional global rule, as the engine
/// runs them under its lock. Baseline: the bare subtree walk (the floor any subtree decision pays).</summary>
[MemoryDiagnoser]
public class EscalationBenchmarks
{
    private const int Nodes = 1_000_000;
    private const int Subtree = 100_000;

    private DependencyGraph _graph = null!;
    private DependencyTraversal _traversal = null!;
    private double[] _impacts = null!;
    private double[] _buffer = null!;
    private IsolationLevel[] _own = null!;
    private int[] _cover = null!;

    [GlobalSetup]
    public void Setup()
    {
        var builder = new DependencyGraphBuilder(Nodes, Nodes);
        builder.AddNodes(Nodes);

        // Nodes 1..99,999 form a binary tree under node 0 (its 100k-node subtree); the rest are chains of ten.
        var dependents = new int[Nodes - 1];
        var dependencies = new int[Nodes - 1];
        var edges = 0;
        for (var i = 1; i < Nodes; i++)
        {
            if (i < Subtree)
            {
                (dependents[edges], dependencies[edges]) = (i, (i - 1) / 2);
                edges++;
            }
            else if (i % 10 != 0)
            {
                (dependents[edges], dependencies[edges]) = (i, i - 1);
                edges++;
            }
        }

        builder.AddDependencies(dependents.AsSpan(0, edges), dependencies.AsSpan(0, edges));
        _graph = builder.Build();
        _traversal = _graph.CreateTraversal();
        _impacts = new double[Nodes];
        var random = new Random(42);
        for (var i = 0; i < Nodes; i++)
        {
            _impacts[i] = random.NextDouble() * 0.05;
        }

        _impacts[0] = 0.9;
        _buffer = new double[Subtree];
        _own = new IsolationLevel[Nodes];
        _own[0] = IsolationLevel.Local;
        _own[500_000] = IsolationLevel.Local; // a second, independent failure elsewhere
        _cover = new int[Nodes];
    }

    [Benchmark(Baseline = true)]
    public int SubtreeWalk() => _traversal.GetTransitiveDependents(0).Length;

    [Benchmark]
    public bool Escalate()
    {
        // LOCAL → SUBTREE: V over the root and its dependents against the next layer's escape velocity.
        var dependents = _traversal.GetTransitiveDependents(0);
        _buffer[0] = _impacts[0];
        for (var i = 0; i < dependents.Length; i++)
        {
            _buffer[i + 1] = _impacts[dependents[i]];
        }

        var subtree = IsolationRules.EscalatesToSubtree(LayerModel.Default, CosmicLayer.Ecosystem, _buffer.AsSpan(0, dependents.Length + 1));

        // GLOBAL: scan every node for failing ones, then the proportional rule.
        Span<int> failing = stackalloc int[8];
        Span<bool> covers = stackalloc bool[8];
        var count = 0;
        for (var i = 0; i < _own.Length; i++)
        {
            if (_own[i] >= IsolationLevel.Local && count < failing.Length)
            {
                failing[count] = i;
                covers[count++] = i == 0 && subtree;
            }
        }

        var coverage = IsolationRules.IndependentCoverage(_traversal, failing[..count], covers[..count], _cover);
        return IsolationRules.ReachesShare(coverage, Nodes, 0.5);
    }
}
