using Cosmos.Core;
using Polly;

namespace Cosmos.Isolation.Tests;

/// <summary>Failover (L5/L6 "dependency reconfiguration", "load balancing"): an isolated node's calls run on its healthiest
/// live alternate before its fallback answers.</summary>
public sealed class FailoverTests
{
    private static TestHost CreateHost() => new(o =>
    {
        o.AddNode("replica-1", CosmicLayer.Ecosystem);
        o.AddNode("replica-2", CosmicLayer.Ecosystem);
        o.AddNode("db", CosmicLayer.Ecosystem).WithAlternates("replica-1", "replica-2").WithFallback<string>(_ => "fallback");
        o.AddNode("repository", CosmicLayer.Compound, "db");
    });

    private static ValueTask<string> CallDbAsync(TestHost host)
    {
        var context = ResilienceContextPool.Shared.Get();
        return Core();

        async ValueTask<string> Core()
        {
            try
            {
                return await host.Engine.GetPipeline<string>("db").ExecuteAsync(
                    static (ctx, _) => ValueTask.FromResult(IsolationContext.GetTargetNode(ctx, "db")), context, 0);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }
    }

    [Fact]
    public async Task ExecuteAsync_NodeIsolated_RoutesToHealthiestLiveAlternateAndBack()
    {
        using var host = CreateHost();
        Assert.Equal("db", await CallDbAsync(host));

        await host.Engine.IsolateAsync("db", IsolationScope.Subtree);
        host.Engine.ReportHealth("replica-1", 0.8);
        Assert.Equal("replica-2", await CallDbAsync(host)); // healthier

        await host.Engine.IsolateAsync("replica-2");
        Assert.Equal("replica-1", await CallDbAsync(host));

        await host.Engine.IsolateAsync("replica-1");
        Assert.Equal("fallback", await CallDbAsync(host)); // no live alternate: the fallback answers
        await Assert.ThrowsAsync<NodeIsolatedException>(async () => await TestHost.SucceedAsync(host.Engine.GetPipeline("db")));

        await host.Engine.ReleaseAsync("replica-1");
        Assert.Equal("replica-1", await CallDbAsync(host));
        await host.Engine.ReleaseAsync("db");
        Assert.Equal("db", await CallDbAsync(host));

        var db = host.Engine.GetState("db");
        Assert.Equal(3, db.FailedOver);
        Assert.Equal(2, db.Successes);
        Assert.Equal(2, host.Engine.GetState("replica-1").Successes);
        Assert.Equal(1, host.Engine.GetState("replica-2").Successes);
    }

    [Fact]
    public async Task Subtree_RootWithLiveAlternate_DependentsKeepServing()
    {
        using var host = CreateHost();
        await host.Engine.IsolateAsync("db", IsolationScope.Subtree);
        Assert.True(host.Engine.IsIsolated("db"));
        Assert.False(host.Engine.IsIsolated("repository"));
        var answer = await host.Engine.GetPipeline<string>("repository").ExecuteAsync(async ct => await CallDbAsync(host));
        Assert.Equal("replica-1", answer);

        await host.Engine.IsolateAsync("replica-1");
        await host.Engine.IsolateAsync("replica-2");
        Assert.True(host.Engine.IsIsolated("repository")); // no live alternate left: the subtree is blocked again
        Assert.Equal("db", host.Engine.GetState("repository").IsolatedBy);
    }

    [Fact]
    public async Task HardDownPrimary_CallsAfterDetectionRunOnAlternate()
    {
        using var host = CreateHost();
        var pipeline = host.Engine.GetPipeline("db");
        var ran = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var context = ResilienceContextPool.Shared.Get();
            try
            {
                await pipeline.ExecuteAsync(static (ctx, ran) =>
                {
                    var target = IsolationContext.GetTargetNode(ctx, "db");
                    ran.Add(target);
                    return target == "db" ? throw new InvalidOperationException("primary down") : ValueTask.CompletedTask;
                }, context, ran);
            }
            catch (InvalidOperationException)
            {
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        Assert.Equal(["db", "db", "db", "db", "db", "replica-1", "replica-1", "replica-1"], ran);
        Assert.Equal(IsolationLevel.Subtree, host.Engine.GetState("db").Level);
        Assert.False(host.Engine.IsIsolated("repository"));
    }
}
