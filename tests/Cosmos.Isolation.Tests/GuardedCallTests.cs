using Cosmos.Core;
using Cosmos.Isolation.Internal;
using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Tests;

/// <summary>The guarded call path: gate and observer around the node's breaker, and the window the observer feeds.</summary>
public sealed class GuardedCallTests
{
    private static TestHost CreateHost() => new(options =>
    {
        options.MinimumCalls = 1_000; // keep detection out of the way: these tests are about counting and the breaker
        options.AddNode("db", CosmicLayer.Ecosystem);
        options.AddNode("repo", CosmicLayer.Compound, "db");
        options.AddNode("cpu", CosmicLayer.Quantum);
    });

    [Fact]
    public async Task ExecuteAsync_OwnBreakerOpen_NodeIsolatedAndRejectionCounted()
    {
        using var host = CreateHost();
        var pipeline = host.Engine.GetPipeline("repo");
        for (var i = 0; i < 5; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        var ex = await Assert.ThrowsAsync<NodeIsolatedException>(async () => await TestHost.SucceedAsync(pipeline));
        Assert.Equal("repo", ex.NodeId);
        var state = host.Engine.GetState("repo");
        Assert.Equal(CircuitState.Open, state.BreakerState);
        Assert.Equal((0L, 5L, 0L, 1L, 0L), (state.Successes, state.Failures, state.SlowCalls, state.Rejected, state.DependencyFailures));
    }

    [Fact]
    public async Task ExecuteAsync_DependencyBreakerOpen_CountsAsDependencyRejectionOnly()
    {
        using var host = CreateHost();
        var db = host.Engine.GetPipeline("db");
        await host.Engine.IsolateAsync("db");

        var repo = host.Engine.GetPipeline("repo");
        for (var i = 0; i < 6; i++)
        {
            // More than the failure threshold: dependency rejections must not open the caller's breaker either.
            await Assert.ThrowsAsync<NodeIsolatedException>(async () => await repo.ExecuteAsync(async ct => await TestHost.SucceedAsync(db)));
        }

        var state = host.Engine.GetState("repo");
        Assert.Equal(CircuitState.Closed, state.BreakerState);
        Assert.Equal((0L, 0L, 6L), (state.Successes, state.Failures, state.DependencyFailures));
        Assert.Equal(0, host.Engine.GetState("db").DependencyFailures);
    }

    [Fact]
    public void Execute_Synchronous_ObservesAndOpensBreaker()
    {
        using var host = CreateHost();
        var pipeline = host.Engine.GetPipeline("repo");
        Assert.Equal(7, pipeline.Execute(() => 7));
        for (var i = 0; i < 5; i++)
        {
            Assert.Throws<InvalidOperationException>(() => pipeline.Execute(() => throw new InvalidOperationException("fault")));
        }

        var state = host.Engine.GetState("repo");
        Assert.Equal((1L, 5L), (state.Successes, state.Failures));
        Assert.Equal(CircuitState.Open, state.BreakerState);
    }

    [Fact]
    public async Task ExecuteAsync_AsynchronousCompletion_ObservesLatencyAndOutcome()
    {
        using var host = CreateHost();
        var pipeline = host.Engine.GetPipeline("repo");
        var slow = LayerIsolationOptions.CreateDefault(CosmicLayer.Compound).SlowCallThreshold + TimeSpan.FromMilliseconds(1);
        var result = await pipeline.ExecuteAsync(async _ =>
        {
            await Task.Yield();
            host.Time.Advance(slow);
            return 3;
        });

        Assert.Equal(3, result);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await pipeline.ExecuteAsync(async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("fault");
        }));

        var state = host.Engine.GetState("repo");
        Assert.Equal((0L, 1L, 1L), (state.Successes, state.Failures, state.SlowCalls));
    }

    [Fact]
    public async Task ExecuteAsync_QuantumNode_EachAttemptIsObserved()
    {
        using var host = CreateHost();
        var pipeline = host.Engine.GetPipeline("cpu");
        var attempts = 0;
        var result = await pipeline.ExecuteAsync(_ => ++attempts < 3 ? throw new InvalidOperationException("transient") : ValueTask.FromResult(attempts));

        Assert.Equal(3, result);
        var state = host.Engine.GetState("cpu");
        Assert.Equal((1L, 2L), (state.Successes, state.Failures));
    }

    [Fact]
    public async Task ExecuteAsync_ContinueOnCapturedContext_IsKeptForTheCallback()
    {
        using var host = CreateHost();
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true, CancellationToken.None);
        try
        {
            var seen = await host.Engine.GetPipeline("repo").ExecuteAsync(static (ctx, _) => ValueTask.FromResult(ctx.ContinueOnCapturedContext), context, 0);
            Assert.True(seen);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    [Fact]
    public void SlidingWindow_RecordsAcrossBucketsAndWraps_ReadsOnlyTheWindow()
    {
        // 1 s window in 10 buckets of 100 ticks at a frequency of 1000 per second.
        var window = new SlidingWindow(TimeSpan.FromSeconds(1), 10, 1_000);
        window.Record(0, bad: false);
        window.Record(99, bad: true);
        window.Record(100, bad: false);
        window.Record(950, bad: true);
        Assert.Equal((4L, 2L), window.Read(999));

        // A late writer with an older timestamp still counts (into its own bucket, which is current).
        window.Record(50, bad: false);
        Assert.Equal((5L, 2L), window.Read(999));

        // 1000 reuses bucket 0: the bucket of epoch 0 is cleared, the others stay in the window.
        window.Record(1_000, bad: false);
        Assert.Equal((3L, 1L), window.Read(1_000));
        Assert.Equal((2L, 1L), window.Read(1_100));
        Assert.Equal((1L, 0L), window.Read(1_999));
        Assert.Equal((0L, 0L), window.Read(2_000));

        window.Reset();
        Assert.Equal((0L, 0L), window.Read(1_000));
        window.Record(1_001, bad: true);
        Assert.Equal((1L, 1L), window.Read(1_001));
    }
}
