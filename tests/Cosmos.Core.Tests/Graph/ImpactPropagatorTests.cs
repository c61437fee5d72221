using Cosmos.Core.Graph;
using FsCheck.Xunit;

namespace Cosmos.Core.Tests.Graph;

public class ImpactPropagatorTests
{
    private const int Million = 1_000_000;

    [Fact]
    public void Propagate_ChainOfMillion_DecaysLinearlyPerHop()
    {
        var graph = Chain(Million);
        var propagator = new ImpactPropagator(graph, new PropagationOptions { HopDecay = 0.001, MaxHops = 2000 });
        var result = new double[Million];

        var reached = propagator.Propagate(0, 1.0, result);

        // Hop h gets 1 − h·0.001 until the decay reaches 0 at hop 1000.
        for (var h = 0; h < 1000; h++)
        {
            Assert.Equal(1.0 - (h * 0.001), result[h]);
        }

        Assert.Equal(1000, reached);
        Assert.Equal(-1, Array.FindIndex(result, 1000, v => v != 0));
        Assert.Equal(0, result[Million - 1]);
    }

    [Fact]
    public void Propagate_ChainOfMillionWithoutDecay_ReachesTheEndWithinMaxHops()
    {
        var graph = Chain(Million);
        var propagator = new ImpactPropagator(graph, new PropagationOptions { HopDecay = 0, MaxHops = Million });
        var result = new double[Million];

        Assert.Equal(Million, propagator.Propagate(0, 0.5, result));
        Assert.Equal(-1, Array.FindIndex(result, v => v != 0.5));

        var bounded = new ImpactPropagator(graph, new PropagationOptions { HopDecay = 0, MaxHops = 3 });
        Assert.Equal(4, bounded.Propagate(0, 0.5, result));
        Assert.Equal([0.5, 0.5, 0.5, 0.5, 0], result[..5]);
    }

    [Fact]
    public void Propagate_StarOfMillion_SplitsAcrossFanOut()
    {
        var builder = new DependencyGraphBuilder(Million, Million);
        builder.AddNodes(Million);
        var dependents = Enumerable.Range(1, Million - 1).ToArray();
        builder.AddDependencies(dependents, new int[Million - 1]);
        var graph = builder.Build();
        var result = new double[Million];

        new ImpactPropagator(graph).Propagate(0, 0.9, result);
        var expected = 0.9 / (Million - 1) * (1.0 - 0.1);
        Assert.Equal(0.9, result[0]);
        Assert.Equal(-1, Array.FindIndex(result, 1, v => v != expected));

        new ImpactPropagator(graph, new PropagationOptions { SplitAcrossDependents = false }).Propagate(0, 0.9, result);
        Assert.Equal(-1, Array.FindIndex(result, 1, v => v != 0.9 * (1.0 - 0.1)));
    }

    [Fact]
    public void Propagate_TwoLevelFanOut_MatchesHandComputedValues()
    {
        // A -> {B, C}; B -> {D, E, F}; C -> F. F is reached at hop 2 from B (1/2 · 1/3) and from C (1/2 · 1): max wins.
        var builder = new DependencyGraphBuilder();
        foreach (var id in new[] { "A", "B", "C", "D", "E", "F" })
        {
            builder.AddNode(id);
        }

        builder.AddDependency("B", "A");
        builder.AddDependency("C", "A");
        builder.AddDependency("D", "B");
        builder.AddDependency("E", "B");
        builder.AddDependency("F", "B");
        builder.AddDependency("F", "C");
        var graph = builder.Build();
        var result = new double[6];

        new ImpactPropagator(graph, new PropagationOptions { HopDecay = 0.25 }).Propagate(graph.GetIndex("A"), 0.8, result);

        Assert.Equal(0.8, result[0]);
        Assert.Equal(0.8 / 2 * 0.75, result[1]);
        Assert.Equal(0.8 / 2 * 0.75, result[2]);
        Assert.Equal(0.8 / 2 / 3 * 0.5, result[3]);
        Assert.Equal(0.8 / 2 / 3 * 0.5, result[4]);
        Assert.Equal(0.8 / 2 * 0.5, result[5]);
    }

    [Fact]
    public void Propagate_Cycle_Terminates()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(3);
        builder.AddDependencies([1, 2, 0, 2], [0, 1, 2, 2]);
        var propagator = new ImpactPropagator(builder.Build(), new PropagationOptions { HopDecay = 0, MaxHops = int.MaxValue, SplitAcrossDependents = false });
        var result = new double[3];

        Assert.Equal(3, propagator.Propagate(1, 0.7, result));
        Assert.Equal([0.7, 0.7, 0.7], result);
    }

    [Fact]
    public void Propagate_ManySources_SourcesKeepTheirImpactAndSameHopArrivalsTakeMax()
    {
        // 0 -> 2, 1 -> 2, 2 -> 3, 1 -> 3 (1 is a source too, reached by nothing).
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(4);
        builder.AddDependencies([2, 2, 3, 3], [0, 1, 2, 1]);
        var propagator = new ImpactPropagator(builder.Build(), new PropagationOptions { HopDecay = 0.1 });
        double[] sources = [0.6, 0.4, 0, 0];
        var result = new double[4];

        Assert.Equal(4, propagator.Propagate(sources, result));

        Assert.Equal(0.6, result[0]);
        Assert.Equal(0.4, result[1]);
        Assert.Equal(0.6 * 0.9, result[2]);

        // Node 3 is first reached at hop 1 from node 1 (0.4 / 2 fan-out); the later path through 2 does not count.
        Assert.Equal(0.4 / 2 * 0.9, result[3]);
    }

    [Fact]
    public void Propagate_InPlace_GivesSameResultAsSeparateBuffers()
    {
        var graph = RandomDag(2000, 8000, seed: 7);
        var propagator = new ImpactPropagator(graph);
        var sources = RandomSources(2000, seed: 8);
        var separate = new double[2000];
        propagator.Propagate(sources, separate);

        var inPlace = (double[])sources.Clone();
        propagator.Propagate(inPlace, inPlace);
        Assert.Equal(separate, inPlace);
    }

    [Fact]
    public void Propagate_BadInput_ThrowsNamingArgumentAndIndex()
    {
        var graph = Chain(5);
        var propagator = new ImpactPropagator(graph);
        var result = new double[5];

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => propagator.Propagate([0, 0, 0, double.NaN, 2], result));
        Assert.Equal("sourceImpacts", ex.ParamName);
        Assert.Contains("sourceImpacts[3]", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => propagator.Propagate([0, 1.5, 0, 0, 0], result));
        Assert.Throws<ArgumentOutOfRangeException>(() => propagator.Propagate([0, -0.1, 0, 0, 0], result));
        Assert.Throws<ArgumentException>(() => propagator.Propagate(new double[4], result));
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => propagator.Propagate(new double[5], new double[4])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => propagator.Propagate(5, 0.5, result));
        Assert.Throws<ArgumentOutOfRangeException>(() => propagator.Propagate(0, double.PositiveInfinity, result));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImpactPropagator(graph, new PropagationOptions { HopDecay = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImpactPropagator(graph, new PropagationOptions { MaxHops = -1 }));
    }

    [Fact]
    public void Propagate_EmptyGraph_ReturnsZero()
    {
        var propagator = new ImpactPropagator(new DependencyGraphBuilder().Build());
        Assert.Equal(0, propagator.Propagate(ReadOnlySpan<double>.Empty, Span<double>.Empty));
    }

    [Fact]
    public void Propagate_AfterWarmUp_AllocatesNothing()
    {
        var graph = RandomDag(10_000, 40_000, seed: 3);
        var propagator = new ImpactPropagator(graph);
        var sources = RandomSources(10_000, seed: 4);
        var result = new double[10_000];

        // Both overloads once first: their first calls may allocate while the runtime loads and compiles them.
        propagator.Propagate(sources, result);
        propagator.Propagate(17, 0.3, result);

        var before = GC.GetAllocatedBytesForCurrentThread();
        propagator.Propagate(sources, result);
        propagator.Propagate(17, 0.3, result);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Property(Arbitrary = [typeof(GraphArbitraries)], MaxTest = 100, Replay = "(4242,4243)")]
    public bool Propagate_RandomGraphs_StaysWithinZeroAndLargestSource(RandomGraph input)
    {
        var (n, m, seed, decay, split) = input;
        var random = new Random(seed);
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(n);
        for (var e = 0; e < m; e++)
        {
            builder.AddDependency(random.Next(n), random.Next(n));
        }

        var sources = new double[n];
        for (var i = 0; i < n; i++)
        {
            sources[i] = random.NextDouble() < 0.2 ? random.NextDouble() : 0;
        }

        var result = new double[n];
        new ImpactPropagator(builder.Build(), new PropagationOptions { HopDecay = decay, SplitAcrossDependents = split }).Propagate(sources, result);
        var max = sources.Max();
        return result.All(v => v >= 0 && v <= max) && sources.Select((s, i) => s == 0 || result[i] == s).All(ok => ok);
    }

    [Property(Arbitrary = [typeof(GraphArbitraries)], MaxTest = 300, Replay = "(777,779)")]
    public bool Propagate_RandomGraphs_MatchesNaiveOracle(RandomGraphWithHops input)
    {
        var (n, m, seed, decay, split, maxHops) = input;
        var random = new Random(seed);
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(n);
        for (var e = 0; e < m; e++)
        {
            builder.AddDependency(random.Next(n), random.Next(n));
        }

        var graph = builder.Build();
        var sources = new double[n];
        for (var i = 0; i < n; i++)
        {
            sources[i] = random.NextDouble() < 0.15 ? random.NextDouble() : 0;
        }

        var options = new PropagationOptions { HopDecay = decay, SplitAcrossDependents = split, MaxHops = maxHops };
        var propagator = new ImpactPropagator(graph, options);
        var result = new double[n];
        propagator.Propagate(sources, result);
        var expected = NaivePropagate(graph, sources, options);

        // A second run on the same propagator must not see state from the first.
        var again = new double[n];
        propagator.Propagate(sources, again);
        return expected.AsSpan().SequenceEqual(result) && again.AsSpan().SequenceEqual(result);
    }

    // The documented rule, written directly with dictionaries and a queue.
    private static double[] NaivePropagate(DependencyGraph graph, double[] sources, PropagationOptions options)
    {
        var hops = new Dictionary<int, int>();
        var carried = new Dictionary<int, double>();
        var queue = new Queue<int>();
        for (var i = 0; i < sources.Length; i++)
        {
            if (sources[i] > 0)
            {
                hops[i] = 0;
                carried[i] = sources[i];
                queue.Enqueue(i);
            }
        }

        while (queue.Count > 0)
        {
            var u = queue.Dequeue();
            var h = hops[u] + 1;
            var dependents = graph.GetDependents(u).ToArray();
            if (h > options.MaxHops || 1.0 - (h * options.HopDecay) <= 0 || dependents.Length == 0)
            {
                continue;
            }

            var c = options.SplitAcrossDependents ? carried[u] / dependents.Length : carried[u];
            if (c == 0)
            {
                continue;
            }

            foreach (var v in dependents)
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

        var result = new double[sources.Length];
        foreach (var (node, h) in hops)
        {
            result[node] = carried[node] * (1.0 - (h * options.HopDecay));
        }

        return result;
    }

    internal static DependencyGraph Chain(int n)
    {
        var builder = new DependencyGraphBuilder(n, n);
        builder.AddNodes(n);
        var dependents = Enumerable.Range(1, n - 1).ToArray();
        var dependencies = Enumerable.Range(0, n - 1).ToArray();
        builder.AddDependencies(dependents, dependencies);
        return builder.Build();
    }

    internal static DependencyGraph RandomDag(int n, int m, int seed)
    {
        var random = new Random(seed);
        var builder = new DependencyGraphBuilder(n, m);
        builder.AddNodes(n);
        for (var e = 0; e < m; e++)
        {
            var a = random.Next(n - 1);
            builder.AddDependency(a + 1 + random.Next(n - 1 - a), a);
        }

        return builder.Build();
    }

    private static double[] RandomSources(int n, int seed)
    {
        var random = new Random(seed);
        var sources = new double[n];
        for (var i = 0; i < n; i += 50)
        {
            sources[i] = random.NextDouble();
        }

        return sources;
    }
}
