using Cosmos.Core.Graph;
using FsCheck.Xunit;

namespace Cosmos.Core.Tests.Graph;

public class TransitiveDependentsTests
{
    [Fact]
    public void GetTransitiveDependents_Cycle_TerminatesAndExcludesStart()
    {
        // a -> b -> c -> a (each depends on the previous), plus a self-loop on b.
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(3);
        builder.AddDependency(1, 0);
        builder.AddDependency(2, 1);
        builder.AddDependency(0, 2);
        builder.AddDependency(1, 1);
        var graph = builder.Build();

        var buffer = new int[3];
        var count = graph.GetTransitiveDependents(0, buffer);
        Assert.Equal([1, 2], buffer[..count]);
        Assert.Equal([2, 0], graph.CreateTraversal().GetTransitiveDependents(1).ToArray());
    }

    [Fact]
    public void GetTransitiveDependents_MaxHops_LimitsDepth()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(4);
        builder.AddDependencies([1, 2, 3], [0, 1, 2]);
        var traversal = builder.Build().CreateTraversal();
        Assert.Empty(traversal.GetTransitiveDependents(0, maxHops: 0).ToArray());
        Assert.Equal([1], traversal.GetTransitiveDependents(0, maxHops: 1).ToArray());
        Assert.Equal([1, 2], traversal.GetTransitiveDependents(0, maxHops: 2).ToArray());
        Assert.Equal([1, 2, 3], traversal.GetTransitiveDependents(0).ToArray());
    }

    [Fact]
    public void GetTransitiveDependents_DestinationTooShort_Throws()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(3);
        builder.AddDependencies([1, 2], [0, 0]);
        var graph = builder.Build();
        var ex = Assert.Throws<ArgumentException>(() => graph.GetTransitiveDependents(0, new int[1]));
        Assert.Equal("destination", ex.ParamName);
        Assert.Equal(0, graph.GetTransitiveDependents(2, Span<int>.Empty));
    }

    [Fact]
    public void GetTransitiveDependentIds_ReturnsSubtreeIds()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNode("db");
        builder.AddNode("api");
        builder.AddNode("web");
        builder.AddNode("batch");
        builder.AddDependency("api", "db");
        builder.AddDependency("web", "api");
        var graph = builder.Build();
        Assert.Equal(["api", "web"], graph.GetTransitiveDependentIds("db"));
        Assert.Empty(graph.GetTransitiveDependentIds("batch"));
    }

    [Property(Arbitrary = [typeof(GraphArbitraries)], MaxTest = 150, Replay = "(12345,67891)")]
    public bool GetTransitiveDependents_RandomGraphs_MatchBreadthFirstOracle(EdgeListGraph input)
    {
        var (n, edges, start, hops) = input;
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(n);
        foreach (var (dependent, dependency) in edges)
        {
            builder.AddDependency(dependent, dependency);
        }

        var graph = builder.Build();
        var expected = Oracle(n, edges, start, hops);
        var buffer = new int[n];
        var count = graph.GetTransitiveDependents(start, buffer, hops);
        var fromTraversal = graph.CreateTraversal();

        // The reused traversal must give the same answer on every call.
        var first = fromTraversal.GetTransitiveDependents(start, hops).ToArray();
        var second = fromTraversal.GetTransitiveDependents(start, hops).ToArray();
        return expected.SetEquals(buffer.Take(count)) && count == expected.Count
            && first.AsSpan().SequenceEqual(buffer.AsSpan(0, count)) && second.SequenceEqual(first);
    }

    private static HashSet<int> Oracle(int n, (int Dependent, int Dependency)[] edges, int start, int maxHops)
    {
        var adjacency = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            adjacency[i] = [];
        }

        foreach (var (dependent, dependency) in edges)
        {
            adjacency[dependency].Add(dependent);
        }

        var distance = new Dictionary<int, int> { [start] = 0 };
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var u = queue.Dequeue();
            if (distance[u] >= maxHops)
            {
                continue;
            }

            foreach (var v in adjacency[u])
            {
                if (distance.TryAdd(v, distance[u] + 1))
                {
                    queue.Enqueue(v);
                }
            }
        }

        distance.Remove(start);
        return [.. distance.Keys];
    }
}
