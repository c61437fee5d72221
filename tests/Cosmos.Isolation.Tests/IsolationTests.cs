using Cosmos.Core;
using FsCheck.Xunit;
using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Tests;

public sealed class IsolationTests
{
    private static TestHost CreateChain() => new(o =>
    {
        o.AddNode("db", CosmicLayer.Ecosystem);
        o.AddNode("repo", CosmicLayer.Compound, "db");
        o.AddNode("api", CosmicLayer.Atomic, "repo").WithFallback<string>(ex => $"fallback ({ex.GetType().Name})");
        o.AddNode("cache", CosmicLayer.Organic);
        o.AddNode("health", CosmicLayer.Molecular, "cache").ExemptFromGlobalIsolation = true;
        o.AddNode("kernel", CosmicLayer.Cosmos);
    });

    [Fact]
    public async Task Local_IsolatedNode_FallsBackOrFailsFast()
    {
        using var host = CreateChain();
        await host.Engine.IsolateAsync("api");

        var typed = await host.Engine.GetPipeline<string>("api").ExecuteAsync(_ => ValueTask.FromResult("live"));
        Assert.Equal("fallback (NodeIsolatedException)", typed);

        var ex = await Assert.ThrowsAsync<NodeIsolatedException>(async () => await TestHost.SucceedAsync(host.Engine.GetPipeline("api")));
        Assert.Equal("api", ex.NodeId);
        Assert.Equal(IsolationLevel.Local, ex.Level);
        Assert.Equal("api", ex.CauseNodeId);
        Assert.Null(ex.RetryAfter); // an operator's isolation waits for a release
        Assert.Equal(2, host.Engine.GetState("api").Rejected);
        Assert.False(host.Engine.IsIsolated("repo"));
    }

    [Fact]
    public async Task Fallback_OnMolecularLayer_AnswersOrdinaryFailures()
    {
        using var host = new TestHost(o => o.AddNode("fn", CosmicLayer.Molecular).WithFallback<int>(_ => -1));
        var result = await host.Engine.GetPipeline<int>("fn").ExecuteAsync<int>(static _ => throw new InvalidOperationException("boom"));
        Assert.Equal(-1, result);
    }

    [Fact]
    public async Task Fallback_OnOtherLayers_OnlyAnswersShortCircuits()
    {
        using var host = new TestHost(o => o.AddNode("svc", CosmicLayer.Compound).WithFallback<int>(_ => -1));
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await host.Engine.GetPipeline<int>("svc").ExecuteAsync<int>(static _ => throw new InvalidOperationException("boom")));
    }

    [Fact]
    public void Escalation_CumulativeVelocityReachesNextLayer_IsolatesSubtree()
    {
        using var host = CreateChain();
        host.Engine.ReportImpact("api", 0.10);  // L2: below its warning level 0.16
        host.Engine.ReportImpact("repo", 0.10); // L4: below 0.24
        host.Engine.ReportImpact("db", 0.36);   // L6: ≥ 0.35 → LOCAL

        // V = 1 − (1 − 0.36)(1 − 0.10)(1 − 0.10) = 0.4816 ≥ 0.38 (L7, the layer above L6) → SUBTREE.
        Assert.Equal(IsolationLevel.Subtree, host.Engine.GetState("db").Level);
        Assert.Equal(IsolationLevel.Subtree, host.Engine.GetState("repo").Level);
        Assert.Equal("db", host.Engine.GetState("api").IsolatedBy);
        Assert.True(host.Engine.IsIsolated("api"));
        Assert.False(host.Engine.IsIsolated("cache"));
        Assert.False(host.Engine.IsGloballyIsolated);
    }

    [Fact]
    public void Escalation_CumulativeVelocityBelowNextLayer_StaysLocal()
    {
        using var host = CreateChain();
        host.Engine.ReportImpact("api", 0.01);
        host.Engine.ReportImpact("db", 0.36); // V = 1 − 0.64 × 0.99 = 0.3664 < 0.38

        Assert.Equal(IsolationLevel.Local, host.Engine.GetState("db").Level);
        Assert.False(host.Engine.IsIsolated("repo"));
        Assert.False(host.Engine.IsIsolated("api"));
    }

    [Fact]
    public async Task Global_CosmosNodeIsolated_BlocksAllButExemptCalls()
    {
        using var host = CreateChain();
        var events = new List<NodeStateChangedEventArgs>();
        host.Engine.StateChanged += (_, e) => events.Add(e);

        Assert.Equal(IsolationLevel.Local, host.Engine.ReportImpact("kernel", 0.40));
        await host.Engine.EvaluateAsync();

        Assert.True(host.Engine.IsGloballyIsolated);
        Assert.Contains(events, e => e.NodeId == "*" && e.Level == IsolationLevel.Global);
        Assert.Equal(CircuitState.Isolated, host.Engine.GetSnapshot().GlobalBreakerState);
        Assert.True(host.Engine.IsIsolated("cache"));
        var ex = await Assert.ThrowsAsync<NodeIsolatedException>(async () => await TestHost.SucceedAsync(host.Engine.GetPipeline("cache")));
        Assert.Equal(IsolationLevel.Global, ex.Level);
        Assert.Equal("fallback (NodeIsolatedException)", await host.Engine.GetPipeline<string>("api").ExecuteAsync(_ => ValueTask.FromResult("live")));

        // An exempt node (health endpoint) and an exempt call (health probe) still run.
        Assert.False(host.Engine.IsIsolated("health"));
        await TestHost.SucceedAsync(host.Engine.GetPipeline("health"));
        var context = IsolationContext.MarkExempt(ResilienceContextPool.Shared.Get());
        try
        {
            await host.Engine.GetPipeline("cache").ExecuteAsync(_ => ValueTask.CompletedTask, context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    [Fact]
    public async Task Global_ManualIsolateAll_HoldsUntilReleaseAll()
    {
        using var host = CreateChain();
        await host.Engine.IsolateAllAsync();
        host.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(host.Engine.IsGloballyIsolated);
        Assert.All(host.Engine.GetSnapshot().Nodes.Where(n => n.Id != "health"), n => Assert.Equal(IsolationLevel.Global, n.Level));

        await host.Engine.ReleaseAllAsync();
        Assert.False(host.Engine.IsGloballyIsolated);
        Assert.Equal(CircuitState.Closed, host.Engine.GetSnapshot().GlobalBreakerState);
        await TestHost.SucceedAsync(host.Engine.GetPipeline("cache"));
    }

    [Fact]
    public async Task Global_Automatic_EndsWhenCosmosNodeHealsOnTrialCalls()
    {
        using var host = CreateChain();
        host.Engine.ReportImpact("kernel", 0.40);
        Assert.True(host.Engine.IsGloballyIsolated);

        // After L7's break duration the failing L7 node admits trial calls, even under the global isolation it caused.
        host.Time.Advance(TimeSpan.FromSeconds(61));
        await host.Engine.EvaluateAsync();
        Assert.True(host.Engine.IsGloballyIsolated);
        await Assert.ThrowsAsync<NodeIsolatedException>(async () => await TestHost.SucceedAsync(host.Engine.GetPipeline("cache")));
        for (var i = 0; i < 10; i++)
        {
            await TestHost.SucceedAsync(host.Engine.GetPipeline("kernel"));
        }

        Assert.False(host.Engine.IsGloballyIsolated);
        await TestHost.SucceedAsync(host.Engine.GetPipeline("cache"));
    }

    [Property(MaxTest = 40, Replay = "(42,7)", Arbitrary = [typeof(GraphArbitraries)])]
    public bool Subtree_GeneratedGraphs_IsolatesExactlyTheBfsDependents(GeneratedGraph g)
    {
        var root = g.Pick % g.Size;
        using var host = new TestHost(o =>
        {
            for (var i = 0; i < g.Size; i++)
            {
                o.AddNode($"n{i}", CosmicLayer.Compound, g.Edges.Where(e => e.Dependent == i).Select(e => $"n{e.Dependency}"));
            }
        });

        host.Engine.IsolateAsync($"n{root}", IsolationScope.Subtree).GetAwaiter().GetResult();
        var expected = BfsDependents(g.Size, [.. g.Edges.Select(e => (e.Dependent, e.Dependency))], root);
        var actual = Enumerable.Range(0, g.Size).Where(i => host.Engine.IsIsolated($"n{i}")).ToHashSet();
        if (!expected.SetEquals(actual))
        {
            return false;
        }

        host.Engine.ReleaseAsync($"n{root}").GetAwaiter().GetResult();
        return Enumerable.Range(0, g.Size).All(i => !host.Engine.IsIsolated($"n{i}"));
    }

    [Fact]
    public async Task Subtree_Cycle_IsolatesEveryNodeOnIt()
    {
        using var host = new TestHost(o =>
        {
            o.AddNode("a", CosmicLayer.Compound, "b");
            o.AddNode("b", CosmicLayer.Compound, "a");
            o.AddNode("c", CosmicLayer.Compound, "a");
            o.AddNode("d", CosmicLayer.Compound);
        });

        await host.Engine.IsolateAsync("a", IsolationScope.Subtree);
        Assert.True(host.Engine.IsIsolated("a"));
        Assert.True(host.Engine.IsIsolated("b"));
        Assert.True(host.Engine.IsIsolated("c"));
        Assert.False(host.Engine.IsIsolated("d"));
    }

    [Fact]
    public async Task ReleaseAsync_Subtree_ReleasesDependentsOwnIsolation()
    {
        using var host = CreateChain();
        await host.Engine.IsolateAsync("repo");
        await host.Engine.IsolateAsync("api");
        await host.Engine.ReleaseAsync("repo", IsolationScope.Subtree);
        Assert.False(host.Engine.IsIsolated("repo"));
        Assert.False(host.Engine.IsIsolated("api"));
        Assert.Equal(CircuitState.Closed, host.Engine.GetState("api").BreakerState);
    }

    [Fact]
    public async Task Subtree_DependentFailingBecauseOfRoot_ReturnsWithRoot()
    {
        using var host = new TestHost(o =>
        {
            o.AddNode("db", CosmicLayer.Ecosystem);
            o.AddNode("repo", CosmicLayer.Compound, "db");
        });
        host.Engine.ReportImpact("repo", 0.1);
        host.Engine.ReportImpact("db", 0.36); // V = 1 − 0.64 × 0.9 = 0.424 ≥ 0.38 → subtree
        Assert.Equal("db", host.Engine.GetState("repo").IsolatedBy);

        // The blocked dependent reports failures caused by the root: it must not latch an isolation of its own.
        Assert.Equal(IsolationLevel.Local, host.Engine.ReportImpact("repo", 0.9));
        Assert.Equal(RecoveryStage.None, host.Engine.GetState("repo").Recovery);

        host.Time.Advance(TimeSpan.FromSeconds(61));
        await host.Engine.EvaluateAsync();
        Assert.Equal(RecoveryStage.Trial, host.Engine.GetState("db").Recovery);
        host.Engine.ReportHealth("db", 0.9); // fresh evidence measured by the host
        Assert.False(host.Engine.IsIsolated("db"));
        Assert.False(host.Engine.IsIsolated("repo"));
    }

    [Fact]
    public async Task Observer_DependencyIsolated_DoesNotCountAgainstCaller()
    {
        using var host = CreateChain();
        await host.Engine.IsolateAsync("repo");
        var repo = host.Engine.GetPipeline("repo");
        var answer = await host.Engine.GetPipeline<string>("api").ExecuteAsync(async ct =>
        {
            await repo.ExecuteAsync(_ => ValueTask.CompletedTask, ct);
            return "live";
        });

        Assert.Equal("fallback (NodeIsolatedException)", answer);
        var api = host.Engine.GetState("api");
        Assert.Equal(0, api.Failures);
        Assert.Equal(1, api.DependencyFailures);
        Assert.Equal(1, host.Engine.GetState("repo").Rejected);
    }

    private static HashSet<int> BfsDependents(int size, (int, int)[] edges, int root)
    {
        var seen = new HashSet<int> { root };
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var (dependent, dependency) in edges)
            {
                if (dependency == current && seen.Add(dependent))
                {
                    queue.Enqueue(dependent);
                }
            }
        }

        return seen;
    }
}
