using Cosmos.Core;
using Cosmos.Core.Execution;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Tests;

/// <summary>What hosts rely on: state and calls agree, one rejection type, arguments named.</summary>
public sealed class ConsistencyTests
{
    [Fact]
    public async Task ExecuteAsync_HardDownNodeHammered_OnlyHostExceptionsOrNodeIsolatedException()
    {
        using var host = new TestHost(o =>
        {
            o.AddNode("db", CosmicLayer.Ecosystem);
            o.AddNode("repo", CosmicLayer.Compound, "db");
        });
        var db = host.Engine.GetPipeline("db");
        var repo = host.Engine.GetPipeline("repo");
        var seen = new List<Exception>();
        for (var i = 0; i < 200; i++)
        {
            var outcome = await repo.ExecuteOutcomeAsync(
                static async (ctx, db) =>
                {
                    await db.ExecuteAsync(static _ => throw new TimeoutException("db"), ctx.CancellationToken);
                    return Outcome.FromResult(0);
                },
                ResilienceContextPool.Shared.Get(),
                db);
            seen.Add(outcome.Exception!);
            if (i % 50 == 49)
            {
                host.Time.Advance(TimeSpan.FromSeconds(61));
                await host.Engine.EvaluateAsync(); // trial calls fail again and re-open the breaker
            }
        }

        Assert.All(seen, ex => Assert.True(ex is TimeoutException or NodeIsolatedException, ex.GetType().Name));
        Assert.DoesNotContain(seen, ex => ex.GetType() == typeof(BrokenCircuitException) || ex is IsolatedCircuitException);
    }

    [Fact]
    public async Task GetState_SaysNodePasses_CallPassesAtOnce()
    {
        using var host = new TestHost(o => o.AddNode("svc", CosmicLayer.Compound).WithProbe(_ => ValueTask.FromResult(true)));
        var pipeline = host.Engine.GetPipeline("svc");
        for (var i = 0; i < 5; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        Assert.Equal(CircuitState.Open, host.Engine.GetState("svc").BreakerState);
        host.Time.Advance(TimeSpan.FromSeconds(60));
        var changes = new List<NodeStateChangedEventArgs>();
        host.Engine.StateChanged += (_, e) =>
        {
            if (e.Level == IsolationLevel.Normal && e.PreviousLevel != e.Level && e.NodeId == "svc")
            {
                // Raised right after the decision: the call must already pass, with no background catch-up.
                changes.Add(e);
                Assert.Equal(42, pipeline.Execute(() => 42));
            }
        };
        await host.Engine.EvaluateAsync();
        Assert.Single(changes);
        Assert.Equal(IsolationLevel.Normal, host.Engine.GetState("svc").Level);
    }

    [Fact]
    public void Ids_EmptyOrNull_ThrowNamingTheArgument()
    {
        using var host = new TestHost(o => o.AddNode("svc", CosmicLayer.Compound));
        var engine = host.Engine;
        Action[] empty =
        [
            () => engine.GetPipeline(""), () => engine.GetPipeline<int>(""), () => engine.GetState(""), () => engine.IsIsolated(""),
            () => engine.ReportOutcome("", true, TimeSpan.Zero), () => engine.ReportImpact("", 0.1), () => engine.ReportHealth("", 0.5),
            () => engine.IsolateAsync("").GetAwaiter().GetResult(), () => engine.ReleaseAsync("").GetAwaiter().GetResult(), () => engine.RemoveNode(""),
        ];
        foreach (var call in empty)
        {
            var ex = Assert.ThrowsAny<ArgumentException>(call);
            Assert.IsNotType<ArgumentNullException>(ex);
            Assert.Equal("nodeId", ex.ParamName);
        }

        Assert.Equal("nodeId", Assert.Throws<ArgumentNullException>(() => engine.GetState(null!)).ParamName);
        Assert.Throws<KeyNotFoundException>(() => engine.GetState("ghost"));
        Assert.False(engine.IsIsolated("ghost"));
    }

    [Fact]
    public async Task ParallelNodeExecutor_FromDependencyInjection_SkipsIsolatedNodes()
    {
        using var host = new TestHost(o =>
        {
            o.AddNode("a", CosmicLayer.Compound);
            o.AddNode("b", CosmicLayer.Compound);
        });
        Assert.Same(host.Engine, host.Services.GetRequiredService<INodeIsolationGate>());
        await host.Engine.IsolateAsync("b");

        var ran = new List<string>();
        var report = await host.Services.GetRequiredService<ParallelNodeExecutor>().ExecuteAsync(["a", "b"], (id, _) =>
        {
            lock (ran)
            {
                ran.Add(id);
            }

            return ValueTask.CompletedTask;
        });

        Assert.Equal(["a"], ran);
        Assert.Equal(NodeExecutionStatus.Isolated, report.Results[1].Status);
    }
}
