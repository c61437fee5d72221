using BenchmarkDotNet.Attributes;
using Cosmos.Core.Graph;

namespace Cosmos.Benchmarks.Core;

/// <summary>One full impact propagation over a random DAG of 10^6 nodes and 4×10^6 edges, 1 % of the nodes being sources.</summary>
[MemoryDiagnoser]
public class PropagationBenchmarks
{
    private const int Nodes = 1_000_000;
    private const int Edges = 4_000_000;
    private ImpactPropagator _propagator = null!;
    private List<int>[] _naiveDependents = null!;
    private double[] _sources = null!;
    private double[] _result = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var dependents = new int[Edges];
        var dependencies = new int[Edges];
        for (var e = 0; e < Edges; e++)
        {
            // An edge always points from a lower index to a higher one, so the graph is acyclic.
            var a = random.Next(Nodes - 1);
            dependencies[e] = a;
            dependents[e] = a + 1 + random.Next(Nodes - 1 - a);
        }

        var builder = new DependencyGraphBuilder(Nodes, Edges);
        builder.AddNodes(Nodes);
        builder.AddDependencies(dependents, dependencies);
        var graph = builder.Build();
        _propagator = new ImpactPropagator(graph);

        // The baseline keeps the same (deduplicated) edges in per-node lists, as a straightforward implementation would.
        _naiveDependents = new List<int>[Nodes];
        for (var i = 0; i < Nodes; i++)
        {
            _naiveDependents[i] = [.. graph.GetDependents(i)];
        }

        _sources = new double[Nodes];
        for (var i = 0; i < Nodes / 100; i++)
        {
            _sources[random.Next(Nodes)] = random.NextDouble();
        }

        _result = new double[Nodes];
    }

    [Benchmark(Baseline = true)]
    public int NaiveListDictionaryBfs()
    {
        // Same rule as ImpactPropagator, written with a Dictionary of hops and a Queue.
        var hops = new Dictionary<int, int>();
        var carried = new Dictionary<int, double>();
        var queue = new Queue<int>();
        for (var i = 0; i < Nodes; i++)
        {
            if (_sources[i] > 0)
            {
                hops[i] = 0;
                carried[i] = _sources[i];
                queue.Enqueue(i);
            }
        }

        while (queue.Count > 0)
        {
            var u = queue.Dequeue();
            var h = hops[u] + 1;
            if (h > 16 || 1.0 - (h * 0.1) <= 0)
            {
                continue;
            }

            var list = _naiveDependents[u];
            if (list.Count == 0)
            {
                continue;
            }

            var c = carried[u] / list.Count;
            foreach (var v in list)
            {
                if (!hops.TryGetValue(v, out var hv))
                {
                    hops[v] = h;
                    carried[v] = c;
                    queue.Enqueue(v);
                }
                else if (hv == h && c > carried[v])
                {
                    carried[v] = c;
                }
            }
        }

        Array.Clear(_result);
        foreach (var (node, h) in hops)
        {
            _result[node] = carried[node] * (1.0 - (h * 0.1));
        }

        return hops.Count;
    }

    [Benchmark]
    public int ImpactPropagatorCsr() => _propagator.Propagate(_sources, _result);
}
