using Cosmos.Core.Graph;

namespace Cosmos.Core.Tests.Graph;

public class GraphEdgeCaseTests
{
    [Fact]
    public void Builder_GrowsPastItsCapacity_KeepsEveryNodeAndEdge()
    {
        var builder = new DependencyGraphBuilder(0, 0);
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(i, builder.AddNode($"n{i}"));
        }

        Assert.Equal(40, builder.AddNodes(30));
        for (var i = 1; i < 70; i++)
        {
            builder.AddDependency(i, i - 1);
        }

        builder.AddDependencies([5, 6, 5], [0, 0, 0]); // the third repeats the first
        Assert.Equal(70, builder.NodeCount);
        Assert.Equal(72, builder.EdgeCount);

        var graph = builder.Build();
        Assert.Equal(70, graph.NodeCount);
        Assert.Equal(71, graph.EdgeCount);
        Assert.Equal([1, 5, 6], graph.GetDependents(0).ToArray());
        Assert.Equal(3, graph.GetFanOut(0));
        Assert.Equal([0, 4], graph.GetDependencies(5).ToArray());
        Assert.Equal([68], graph.GetDependencies(69).ToArray());
        Assert.Empty(graph.GetDependents(69).ToArray());
        Assert.Equal("n39", graph.GetId(39));
        Assert.Equal("#40", graph.GetId(40));
        Assert.Equal(69, graph.GetIndex("#69"));
    }

    [Fact]
    public void Builder_BadArguments_ThrowNamingThem()
    {
        Assert.Equal("nodeCapacity", Assert.Throws<ArgumentOutOfRangeException>(() => new DependencyGraphBuilder(-1, 0)).ParamName);
        Assert.Equal("edgeCapacity", Assert.Throws<ArgumentOutOfRangeException>(() => new DependencyGraphBuilder(0, -1)).ParamName);
        var builder = new DependencyGraphBuilder();
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddNodes(-1)).ParamName);
        Assert.Equal(0, builder.AddNodes(0));
        builder.AddNodes(2);
        var ex = Assert.Throws<ArgumentException>(() => builder.AddDependencies([0, 1], [1]));
        Assert.Equal("dependencies", ex.ParamName);
        Assert.Equal("dependent", Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddDependency(-1, 0)).ParamName);
        Assert.Equal("dependency", Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddDependency(0, 2)).ParamName);
        Assert.Equal(0, builder.EdgeCount);
        Assert.Equal("dependency", Assert.Throws<ArgumentException>(() => builder.AddDependency("#0", "#2")).ParamName);
        Assert.Equal("dependent", Assert.Throws<ArgumentException>(() => builder.AddDependency("#", "#0")).ParamName);
        Assert.Throws<ArgumentNullException>(() => builder.AddDependency(null!, "#0"));
        Assert.Throws<ArgumentNullException>(() => builder.AddDependency("#0", null!));
        builder.AddDependency("#1", "#0");
        Assert.Equal(1, builder.EdgeCount);
    }

    [Fact]
    public void Graph_Lookups_ReportMissingAndOutOfRange()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNode("a");
        builder.AddNodes(1);
        var graph = builder.Build();

        Assert.False(graph.TryGetIndex("b", out var index));
        Assert.Equal(-1, index);
        Assert.False(graph.TryGetIndex("#2", out index));
        Assert.Equal(-1, index);
        Assert.False(graph.TryGetIndex("#", out _));
        Assert.False(graph.TryGetIndex("#x", out _));
        Assert.True(graph.TryGetIndex("#1", out index));
        Assert.Equal(1, index);
        Assert.Throws<ArgumentNullException>(() => graph.TryGetIndex(null!, out _));
        Assert.Throws<ArgumentNullException>(() => graph.GetIndex(null!));
        foreach (var bad in new[] { -1, 2 })
        {
            Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => graph.GetId(bad)).ParamName);
            Assert.Throws<ArgumentOutOfRangeException>(() => graph.GetDependencies(bad));
            Assert.Throws<ArgumentOutOfRangeException>(() => graph.GetFanOut(bad));
            Assert.Throws<ArgumentOutOfRangeException>(() => graph.GetTransitiveDependents(bad, new int[2]));
            Assert.Throws<ArgumentOutOfRangeException>(() => graph.CreateTraversal().GetTransitiveDependents(bad));
        }

        Assert.Equal("maxHops", Assert.Throws<ArgumentOutOfRangeException>(() => graph.GetTransitiveDependents(0, new int[2], -1)).ParamName);
        Assert.Equal("maxHops", Assert.Throws<ArgumentOutOfRangeException>(() => graph.CreateTraversal().GetTransitiveDependents(0, -1)).ParamName);
        Assert.Throws<ArgumentNullException>(() => new DependencyTraversal(null!));
        Assert.Same(graph, graph.CreateTraversal().Graph);
    }

    [Fact]
    public void Traversal_ManyQueries_UnmarksOnlyWhatItVisited()
    {
        // 0 -> 1 -> 2 and 3 -> 4, over more than 64 nodes so the visited bitmap spans several words.
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(130);
        builder.AddDependency(1, 0);
        builder.AddDependency(2, 1);
        builder.AddDependency(128, 2);
        builder.AddDependency(0, 128); // a cycle back to the start
        builder.AddDependency(65, 64);
        var traversal = builder.Build().CreateTraversal();

        Assert.Equal([1, 2, 128], traversal.GetTransitiveDependents(0).ToArray());
        Assert.Equal([65], traversal.GetTransitiveDependents(64).ToArray());
        Assert.Equal([2, 128, 0], traversal.GetTransitiveDependents(1).ToArray());
        Assert.Equal([1, 2, 128], traversal.GetTransitiveDependents(0).ToArray());
        Assert.Empty(traversal.GetTransitiveDependents(129).ToArray());
    }

    [Fact]
    public void Propagate_WithoutSplitAndUntilDecayReachesZero_FollowsTheRule()
    {
        // 0 -> {1, 2}, 1 -> 3, 3 -> 4: with decay 0.5, hop 1 keeps half and hop 2 nothing.
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(5);
        builder.AddDependency(1, 0);
        builder.AddDependency(2, 0);
        builder.AddDependency(3, 1);
        builder.AddDependency(4, 3);
        var graph = builder.Build();
        var result = new double[5];

        var full = new ImpactPropagator(graph, new PropagationOptions { HopDecay = 0.5, SplitAcrossDependents = false });
        Assert.Same(graph, full.Graph);
        Assert.Equal(3, full.Propagate(0, 0.8, result));
        Assert.Equal([0.8, 0.4, 0.4, 0, 0], result);

        var split = new ImpactPropagator(graph, new PropagationOptions { HopDecay = 0.25, SplitAcrossDependents = true, MaxHops = 2 });
        Assert.Equal(4, split.Propagate(0, 0.8, result));
        Assert.Equal([0.8, 0.4 * 0.75, 0.4 * 0.75, 0.4 * 0.5, 0], result);

        // An impact of 0 clears the destination and reaches nothing.
        Assert.Equal(0, split.Propagate(0, 0.0, result));
        Assert.All(result, v => Assert.Equal(0, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => split.Propagate(-1, 0.5, result));
        Assert.Throws<ArgumentOutOfRangeException>(() => split.Propagate(0, -0.1, result));
        Assert.Throws<ArgumentOutOfRangeException>(() => split.Propagate(0, 1.1, result));
        Assert.Throws<ArgumentOutOfRangeException>(() => split.Propagate(0, double.NaN, result));
        Assert.Throws<ArgumentNullException>(() => new ImpactPropagator(null!));
        Assert.Contains("HopDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new ImpactPropagator(graph, new PropagationOptions { HopDecay = double.NaN })).Message, StringComparison.Ordinal);
        Assert.Contains("HopDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new ImpactPropagator(graph, new PropagationOptions { HopDecay = -0.1 })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Propagate_BoundaryValues_AreAccepted()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(2);
        builder.AddDependency(1, 0);
        var graph = builder.Build();
        var result = new double[3]; // longer than the graph: the tail is left alone

        result[2] = 7;
        var propagator = new ImpactPropagator(graph, new PropagationOptions { HopDecay = 0, MaxHops = 0 });
        Assert.Equal(1, propagator.Propagate(0, 1.0, result));
        Assert.Equal([1.0, 0, 7], result);
        Assert.Equal(2, new ImpactPropagator(graph, new PropagationOptions { HopDecay = 1.0 - 1e-9 }).Propagate([1.0, 0], result));
        Assert.Equal(1, new ImpactPropagator(graph, new PropagationOptions { HopDecay = 1.0 }).Propagate([1.0, 0], result));
        Assert.Equal(0, result[1]);
    }

    [Fact]
    public void AddDependencies_BulkBeyondCapacity_GrowsAndKeepsEdges()
    {
        var builder = new DependencyGraphBuilder(2, 0);
        builder.AddNodes(3);
        builder.AddDependency(1, 0);
        builder.AddDependencies([2, 2, 2, 2, 2, 2, 2, 2, 2, 1], [0, 1, 0, 1, 0, 1, 0, 1, 0, 2]);
        Assert.Equal(11, builder.EdgeCount);
        var graph = builder.Build();
        Assert.Equal([1, 2], graph.GetDependents(0).ToArray());
        Assert.Equal([0, 2], graph.GetDependencies(1).ToArray());
        Assert.Equal([1], graph.GetDependents(2).ToArray());
    }

    [Fact]
    public void BadArguments_MessagesNameTheValueAndTheRule()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(2);
        Assert.Contains("must not be empty", Assert.Throws<ArgumentException>(() => builder.AddNode("")).Message, StringComparison.Ordinal);
        Assert.Contains("reserved for unnamed nodes", Assert.Throws<ArgumentException>(() => builder.AddNode("#a")).Message, StringComparison.Ordinal);
        Assert.Contains("The node index 2 is not in [0, 2)", Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddDependency(2, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("The node index 5 is not in [0, 2)", Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddDependency(0, 5)).Message, StringComparison.Ordinal);
        Assert.Contains("differ in length", Assert.Throws<ArgumentException>(() => builder.AddDependencies([0], [])).Message, StringComparison.Ordinal);

        var dependents = Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddDependencies([0, 2], [1, 1]));
        Assert.Equal("dependents", dependents.ParamName);
        Assert.Contains("dependents[1] = 2", dependents.Message, StringComparison.Ordinal);
        var dependencies = Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddDependencies([0, 1], [1, 2]));
        Assert.Equal("dependencies", dependencies.ParamName);
        Assert.Contains("dependencies[1] = 2", dependencies.Message, StringComparison.Ordinal);
        Assert.Equal(0, builder.EdgeCount);
        Assert.Contains("was not added", Assert.Throws<ArgumentException>(() => builder.AddDependency("#2", "#0")).Message, StringComparison.Ordinal);

        var graph = builder.Build();
        Assert.Contains("The node index 2 is not in [0, 2)", Assert.Throws<ArgumentOutOfRangeException>(() => graph.GetId(2)).Message, StringComparison.Ordinal);
        Assert.Contains("The node index 3 is not in [0, 2)", Assert.Throws<ArgumentOutOfRangeException>(() => graph.CreateTraversal().GetTransitiveDependents(3)).Message, StringComparison.Ordinal);
        Assert.False(graph.TryGetIndex("#2", out _));

        var line = new DependencyGraphBuilder();
        line.AddNodes(3);
        line.AddDependency(1, 0);
        line.AddDependency(2, 1);
        var short1 = Assert.Throws<ArgumentException>(() => line.Build().GetTransitiveDependents(0, new int[1]));
        Assert.Contains("holds 1 elements", short1.Message, StringComparison.Ordinal);

        var propagator = new ImpactPropagator(line.Build());
        Assert.Contains("has 2 elements; the graph has 3 nodes", Assert.Throws<ArgumentException>(() => propagator.Propagate(new double[2], new double[3])).Message, StringComparison.Ordinal);
        Assert.Contains("destination has 2 elements", Assert.Throws<ArgumentException>(() => propagator.Propagate(0, 0.5, new double[2])).Message, StringComparison.Ordinal);
        Assert.Contains("The node index 3 is not in [0, 3)", Assert.Throws<ArgumentOutOfRangeException>(() => propagator.Propagate(3, 0.5, new double[3])).Message, StringComparison.Ordinal);
        Assert.Contains("finite value in [0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => propagator.Propagate(0, 2.0, new double[3])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Propagate_ReusedPropagator_ClearsDestinationAndPreviousMarks()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(70);
        builder.AddDependency(69, 0);
        builder.AddDependency(1, 69);
        var propagator = new ImpactPropagator(builder.Build(), new PropagationOptions { HopDecay = 0 });
        var result = new double[70];

        Assert.Equal(3, propagator.Propagate(0, 1.0, result));
        Array.Fill(result, 0.5);
        Assert.Equal(2, propagator.Propagate(69, 1.0, result));
        Assert.Equal(1.0, result[69]);
        Assert.Equal(1.0, result[1]);
        Assert.Equal(0.0, result[0]);
        Assert.Equal(0.0, result[2]);

        var sources = new double[70];
        sources[0] = 1.0;
        Array.Fill(result, 0.5);
        Assert.Equal(3, propagator.Propagate(sources, result));
        Assert.Equal(0.0, result[2]);
        Assert.Equal(1.0, result[1]);
    }
}
