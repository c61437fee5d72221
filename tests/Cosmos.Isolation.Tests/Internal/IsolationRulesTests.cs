using Cosmos.Core;
using Cosmos.Core.Graph;
using Cosmos.Isolation.Internal;
using FsCheck.Xunit;

namespace Cosmos.Isolation.Tests.Internal;

/// <summary>The proportional global rule over generated graphs: (a) one failing non-L7 node never takes the system down,
/// (b) an L7 failure or failures that cover the share do, (c) the decision is monotone in every impact.</summary>
public sealed class IsolationRulesTests
{
    private static readonly LayerModel Layers = LayerModel.Default;

    [Property(MaxTest = 300, Replay = "(11,13)", Arbitrary = [typeof(GraphArbitraries)])]
    public bool Decide_OneFailingNonCosmosNode_NeverGlobal(GeneratedGraph g, bool smallShare)
    {
        var failing = g.Pick % g.Size;
        var layers = LayersOf(g);
        if (layers[failing] == CosmicLayer.Cosmos)
        {
            layers[failing] = CosmicLayer.Ecosystem;
        }

        var impacts = new double[g.Size];
        for (var i = 0; i < g.Size; i++)
        {
            // Every other node stays below its escape velocity (healthy or warning); the failing one reaches its own.
            var velocity = Layers.GetEscapeVelocity(layers[i]);
            impacts[i] = i == failing ? Math.Max(g.Impacts[i], velocity) : Math.Min(g.Impacts[i], Math.BitDecrement(velocity));
        }

        var (graph, traversal) = Build(g);
        var levels = new IsolationLevel[g.Size];
        var global = IsolationRules.Decide(graph, traversal, Layers, layers, impacts, smallShare ? 0.01 : 0.5, levels);
        return !global && levels[failing] >= IsolationLevel.Local;
    }

    [Property(MaxTest = 200, Replay = "(5,9)", Arbitrary = [typeof(GraphArbitraries)])]
    public bool Decide_CosmosNodeGoesLocal_Global(GeneratedGraph g)
    {
        var layers = LayersOf(g);
        var impacts = (double[])g.Impacts.Clone();
        var kernel = g.Pick % g.Size;
        layers[kernel] = CosmicLayer.Cosmos;
        impacts[kernel] = Math.Max(impacts[kernel], Layers.GetEscapeVelocity(CosmicLayer.Cosmos));
        var (graph, traversal) = Build(g);
        return IsolationRules.Decide(graph, traversal, Layers, layers, impacts, 0.5, new IsolationLevel[g.Size]);
    }

    [Property(MaxTest = 300, Replay = "(17,19)", Arbitrary = [typeof(GraphArbitraries)])]
    public bool IndependentCoverage_MatchesDefinition_AndDecidesGlobalAtTheShare(GeneratedGraph g)
    {
        var layers = LayersOf(g);
        var (graph, traversal) = Build(g);
        var levels = new IsolationLevel[g.Size];
        var cosmosFails = Enumerable.Range(0, g.Size).Any(i => layers[i] == CosmicLayer.Cosmos && g.Impacts[i] >= Layers.GetEscapeVelocity(CosmicLayer.Cosmos));
        var global = IsolationRules.Decide(graph, traversal, Layers, layers, g.Impacts, 0.5, levels);

        // Reference: covered(s) = {s} or s with its BFS dependents; M = min over failing r of |∪ over failing s ≠ r of covered(s)|.
        var failing = Enumerable.Range(0, g.Size).Where(i => levels[i] >= IsolationLevel.Local).ToArray();
        var covered = failing.ToDictionary(s => s, s => levels[s] == IsolationLevel.Subtree ? Reference.Dependents(g, s) : [s]);
        var m = failing.Length < 2 ? 0 : failing.Min(r => failing.Where(s => s != r).SelectMany(s => covered[s]).Distinct().Count());

        var fast = IsolationRules.IndependentCoverage(traversal, failing, [.. failing.Select(s => levels[s] == IsolationLevel.Subtree)], new int[g.Size]);
        return fast == m && global == (cosmosFails || (m > 0 && m >= 0.5 * g.Size));
    }

    [Property(MaxTest = 300, Replay = "(23,29)", Arbitrary = [typeof(GraphArbitraries)])]
    public bool Decide_RaisingAnyImpact_NeverLowersGlobalOrAnyIsolation(GeneratedGraph g, int which, byte raise)
    {
        var layers = LayersOf(g);
        var (graph, traversal) = Build(g);
        var before = new IsolationLevel[g.Size];
        var globalBefore = IsolationRules.Decide(graph, traversal, Layers, layers, g.Impacts, 0.5, before);

        var raised = (double[])g.Impacts.Clone();
        var j = Math.Abs(which % g.Size);
        raised[j] = Math.Min(1, raised[j] + (raise / 255.0));
        var after = new IsolationLevel[g.Size];
        var globalAfter = IsolationRules.Decide(graph, traversal, Layers, layers, raised, 0.5, after);

        return (!globalBefore || globalAfter) && Enumerable.Range(0, g.Size).All(i => after[i] >= before[i]);
    }

    [Fact]
    public void Decide_TwoIndependentFailuresCoveringHalf_Global()
    {
        // a ← a1, a2 and b ← b1 (and a healthy c): a and b fail; without a, b covers 2 of 6 nodes; without b, a covers 3.
        var builder = new DependencyGraphBuilder();
        foreach (var id in new[] { "a", "a1", "a2", "b", "b1", "c" })
        {
            builder.AddNode(id);
        }

        builder.AddDependency("a1", "a");
        builder.AddDependency("a2", "a");
        builder.AddDependency("b1", "b");
        var graph = builder.Build();
        CosmicLayer[] layers = [.. Enumerable.Repeat(CosmicLayer.Compound, 6)];
        double[] impacts = [1, 0, 0, 1, 0, 0];
        var levels = new IsolationLevel[6];

        Assert.False(IsolationRules.Decide(graph, graph.CreateTraversal(), Layers, layers, impacts, 0.5, levels)); // M = 2 < 3
        Assert.Equal(IsolationLevel.Subtree, levels[0]);
        Assert.True(IsolationRules.Decide(graph, graph.CreateTraversal(), Layers, layers, impacts, 1.0 / 3, levels)); // 2 ≥ 2
        impacts[5] = 1; // c fails too: without a, b and c still cover 3 of 6
        Assert.True(IsolationRules.Decide(graph, graph.CreateTraversal(), Layers, layers, impacts, 0.5, levels));
    }

    [Fact]
    public void Decide_SpecWorkedExample_DependentsImpactsEscalate()
    {
        // api (L2) → repository (L4) → db (L6): V = 1 − 0.64 × 0.9 × 0.9 = 0.4816 ≥ 0.38; db alone (0.36) would not reach it.
        var builder = new DependencyGraphBuilder();
        builder.AddNode("db");
        builder.AddNode("repository");
        builder.AddNode("api");
        builder.AddDependency("repository", "db");
        builder.AddDependency("api", "repository");
        var graph = builder.Build();
        var levels = new IsolationLevel[3];
        IsolationRules.Decide(graph, graph.CreateTraversal(), Layers, [CosmicLayer.Ecosystem, CosmicLayer.Compound, CosmicLayer.Atomic], [0.36, 0.10, 0.10], 0.5, levels);
        Assert.Equal([IsolationLevel.Subtree, IsolationLevel.Normal, IsolationLevel.Normal], levels);
        IsolationRules.Decide(graph, graph.CreateTraversal(), Layers, [CosmicLayer.Ecosystem, CosmicLayer.Compound, CosmicLayer.Atomic], [0.36, 0.0, 0.01], 0.5, levels);
        Assert.Equal(IsolationLevel.Local, levels[0]); // V = 0.3664 < 0.38
    }

    [Fact]
    public void EscalatesToSubtree_NeedsDependentsAndCompares_AtLeastTheNextLayer()
    {
        Assert.Equal(0.30, IsolationRules.SubtreeThreshold(Layers, CosmicLayer.Molecular), 12); // L3 → L4's escape velocity
        Assert.Equal(0.38, IsolationRules.SubtreeThreshold(Layers, CosmicLayer.Cosmos), 12);    // L7 → L7's
        Assert.False(IsolationRules.EscalatesToSubtree(Layers, CosmicLayer.Ecosystem, [0.9]));   // no dependents, no subtree
        Assert.True(IsolationRules.EscalatesToSubtree(Layers, CosmicLayer.Molecular, [0.30, 0.0])); // V = 0.30 reaches 0.30
        Assert.False(IsolationRules.EscalatesToSubtree(Layers, CosmicLayer.Molecular, [Math.BitDecrement(0.30), 0.0]));
    }

    [Fact]
    public void IndependentCoverage_LeavesScratchCleared_ForTheNextCaller()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(6);
        builder.AddDependency(1, 0);
        builder.AddDependency(2, 0);
        builder.AddDependency(4, 3);
        var graph = builder.Build();
        var traversal = graph.CreateTraversal();
        var cover = new int[6];
        Assert.Equal(3, IsolationRules.IndependentCoverage(traversal, [0, 3, 5], [true, true, false], cover));
        Assert.All(cover, c => Assert.Equal(0, c));
        Assert.Equal(3, IsolationRules.IndependentCoverage(traversal, [0, 3, 5], [true, true, false], cover));
        Assert.Equal(0, IsolationRules.IndependentCoverage(traversal, [0], [true], cover));
    }

    [Fact]
    public void ReachesShare_EmptySystemOrNoCoverage_NeverGlobal()
    {
        Assert.False(IsolationRules.ReachesShare(0, 0, 0.5));
        Assert.False(IsolationRules.ReachesShare(0, 10, 0.5));
        Assert.False(IsolationRules.ReachesShare(4, 10, 0.5));
        Assert.True(IsolationRules.ReachesShare(5, 10, 0.5));
    }

    [Theory]
    [InlineData(0.71, RecoveryStage.None)]
    [InlineData(0.70, RecoveryStage.Partial)]
    [InlineData(0.41, RecoveryStage.Partial)]
    [InlineData(0.40, RecoveryStage.AwaitingRelease)]
    [InlineData(0.0, RecoveryStage.AwaitingRelease)]
    public void Judge_SpecTiers_OnFreshHealth(double health, RecoveryStage expected)
        => Assert.Equal(expected, IsolationRules.Judge(health, 0.7, 0.4));

    [Fact]
    public void Admission_RampsLinearlyBetweenThresholds()
    {
        Assert.Equal(0.5, IsolationRules.Admission(0.55, 0.7, 0.4), 12);
        Assert.Equal(1.0, IsolationRules.Admission(0.7, 0.7, 0.4), 12);
        Assert.Equal(0.0, IsolationRules.Admission(0.3, 0.7, 0.4), 12);
    }

    [Fact]
    public void WithBreakerEvidence_RaisesImpactToEscapeVelocityOnlyWhenBreakerOpens()
    {
        Assert.Equal(0.35, IsolationRules.WithBreakerEvidence(Layers, CosmicLayer.Ecosystem, 0.1, breakerOpened: true), 12);
        Assert.Equal(0.1, IsolationRules.WithBreakerEvidence(Layers, CosmicLayer.Ecosystem, 0.1, breakerOpened: false), 12);
        Assert.Equal(0.9, IsolationRules.WithBreakerEvidence(Layers, CosmicLayer.Ecosystem, 0.9, breakerOpened: true), 12);
    }

    private static CosmicLayer[] LayersOf(GeneratedGraph g) => [.. g.Layers.Select(l => (CosmicLayer)l)];

    private static (DependencyGraph Graph, DependencyTraversal Traversal) Build(GeneratedGraph g)
    {
        var builder = new DependencyGraphBuilder();
        for (var i = 0; i < g.Size; i++)
        {
            builder.AddNode($"n{i}");
        }

        foreach (var edge in g.Edges)
        {
            builder.AddDependency(edge.Dependent, edge.Dependency);
        }

        var graph = builder.Build();
        return (graph, graph.CreateTraversal());
    }

    private static class Reference
    {
        public static int[] Dependents(GeneratedGraph g, int root)
        {
            var seen = new HashSet<int> { root };
            var queue = new Queue<int>([root]);
            while (queue.Count > 0)
            {
                var current = queue.Dequeue();
                foreach (var edge in g.Edges)
                {
                    if (edge.Dependency == current && seen.Add(edge.Dependent))
                    {
                        queue.Enqueue(edge.Dependent);
                    }
                }
            }

            return [.. seen];
        }
    }
}
