using Cosmos.Core;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Tests;

public sealed class CircuitBreakerTests
{
    private static TestHost CreateHost(Action<CosmosIsolationOptions>? extra = null) => new(options =>
    {
        options.MinimumCalls = 1_000; // keep detection out of the way: these tests are about the breaker alone
        options.AddNode("repo", CosmicLayer.Compound);
        extra?.Invoke(options);
    });

    [Fact]
    public async Task ExecuteAsync_FiveFailures_OpensBreakerIsolatesNodeAndRejectsUntilBreakDuration()
    {
        using var host = CreateHost();
        var pipeline = host.Engine.GetPipeline("repo");
        for (var i = 0; i < 4; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        Assert.Equal(CircuitState.Closed, host.Engine.GetState("repo").BreakerState);
        Assert.False(host.Engine.IsIsolated("repo"));
        await TestHost.FailAsync(pipeline);

        // The breaker opening is evidence: the node is isolated at once, although the window lacks MinimumCalls.
        var state = host.Engine.GetState("repo");
        Assert.Equal(CircuitState.Open, state.BreakerState);
        Assert.Equal(IsolationLevel.Local, state.Level);
        Assert.Equal(RecoveryStage.Waiting, state.Recovery);
        Assert.True(host.Engine.IsIsolated("repo"));

        var executed = 0;
        var first = await Assert.ThrowsAsync<NodeIsolatedException>(async () => await pipeline.ExecuteAsync(_ => { executed++; return ValueTask.CompletedTask; }));
        Assert.Equal(("repo", "repo", IsolationLevel.Local), (first.NodeId, first.CauseNodeId, first.Level));
        Assert.Equal(TimeSpan.FromSeconds(60), first.RetryAfter);
        host.Time.Advance(TimeSpan.FromSeconds(59));
        var later = await Assert.ThrowsAsync<NodeIsolatedException>(async () => await pipeline.ExecuteAsync(_ => { executed++; return ValueTask.CompletedTask; }));
        Assert.Equal(TimeSpan.FromSeconds(1), later.RetryAfter);
        Assert.Equal(0, executed);
    }

    [Fact]
    public async Task ExecuteAsync_AfterBreakDuration_TrialCallsCloseBreakerAndHeal()
    {
        using var host = CreateHost();
        var pipeline = host.Engine.GetPipeline("repo");
        for (var i = 0; i < 5; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        host.Time.Advance(TimeSpan.FromSeconds(60));
        await host.Engine.EvaluateAsync();
        var trial = host.Engine.GetState("repo");
        Assert.Equal(RecoveryStage.Trial, trial.Recovery);
        Assert.Equal(CircuitState.Closed, trial.BreakerState); // closed before the first trial call is admitted

        for (var i = 0; i < 10; i++) // RecoveryOptions.TrialCalls
        {
            await TestHost.SucceedAsync(pipeline);
        }

        var healed = host.Engine.GetState("repo");
        Assert.Equal((IsolationLevel.Normal, RecoveryStage.None, 1.0), (healed.Level, healed.Recovery, healed.Health));

        // Closed and reset: four new failures do not open it again.
        for (var i = 0; i < 4; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        Assert.Equal(CircuitState.Closed, host.Engine.GetState("repo").BreakerState);
    }

    [Fact]
    public async Task ExecuteAsync_TrialCallsFail_BreakerRejectionsAreEvidenceAndNodeLatches()
    {
        using var host = CreateHost();
        var pipeline = host.Engine.GetPipeline("repo");
        for (var i = 0; i < 5; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        host.Time.Advance(TimeSpan.FromSeconds(60));
        await host.Engine.EvaluateAsync();

        // Five trial calls fail and re-open the breaker; the next five are rejected by it: bad evidence, never Polly's exception.
        for (var i = 0; i < 5; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        for (var i = 0; i < 5; i++)
        {
            var ex = await Assert.ThrowsAsync<NodeIsolatedException>(async () => await TestHost.SucceedAsync(pipeline));
            Assert.Equal("repo", ex.CauseNodeId);
        }

        var state = host.Engine.GetState("repo");
        Assert.Equal(RecoveryStage.AwaitingRelease, state.Recovery);
        Assert.Equal(0.0, state.Health);
        var latched = await Assert.ThrowsAsync<NodeIsolatedException>(async () => await TestHost.SucceedAsync(pipeline));
        Assert.Null(latched.RetryAfter);
    }

    [Fact]
    public async Task ExecuteAsync_SuccessBetweenFailures_ResetsStreak()
    {
        using var host = CreateHost();
        var pipeline = host.Engine.GetPipeline("repo");
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                await TestHost.FailAsync(pipeline);
            }

            await TestHost.SucceedAsync(pipeline);
        }

        Assert.Equal(CircuitState.Closed, host.Engine.GetState("repo").BreakerState);
        Assert.Equal(12, host.Engine.GetState("repo").Failures);
    }

    [Fact]
    public async Task ExecuteAsync_SlowSuccesses_CountAsFailuresAndOpenBreaker()
    {
        using var host = CreateHost();
        var pipeline = host.Engine.GetPipeline("repo");
        var slow = LayerIsolationOptions.CreateDefault(CosmicLayer.Compound).SlowCallThreshold + TimeSpan.FromMilliseconds(1);
        for (var i = 0; i < 5; i++)
        {
            var result = await pipeline.ExecuteAsync(_ => { host.Time.Advance(slow); return ValueTask.FromResult(42); });
            Assert.Equal(42, result);
        }

        var state = host.Engine.GetState("repo");
        Assert.Equal(5, state.SlowCalls);
        Assert.Equal(CircuitState.Open, state.BreakerState);
    }

    [Fact]
    public async Task ExecuteAsync_SlowCallDetectionOff_SlowSuccessesCountAsSuccesses()
    {
        using var host = CreateHost(o => o.Layers[CosmicLayer.Compound].SlowCallThreshold = Timeout.InfiniteTimeSpan);
        var pipeline = host.Engine.GetPipeline("repo");
        for (var i = 0; i < 5; i++)
        {
            await pipeline.ExecuteAsync(_ => { host.Time.Advance(TimeSpan.FromHours(1)); return ValueTask.CompletedTask; });
        }

        host.Engine.ReportOutcome("repo", success: true, TimeSpan.FromDays(1));
        var state = host.Engine.GetState("repo");
        Assert.Equal((6L, 0L, CircuitState.Closed), (state.Successes, state.SlowCalls, state.BreakerState));
    }

    [Fact]
    public async Task ExecuteAsync_LayerOverride_OpensAfterConfiguredFailures()
    {
        using var host = CreateHost(o =>
        {
            o.Layers[CosmicLayer.Compound].FailureThreshold = 3;
            o.Layers[CosmicLayer.Compound].BreakDuration = TimeSpan.FromSeconds(5);
        });
        var pipeline = host.Engine.GetPipeline("repo");
        for (var i = 0; i < 3; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        Assert.Equal(CircuitState.Open, host.Engine.GetState("repo").BreakerState);
        host.Time.Advance(TimeSpan.FromSeconds(5));
        await host.Engine.EvaluateAsync();
        Assert.Equal(RecoveryStage.Trial, host.Engine.GetState("repo").Recovery);
        await TestHost.SucceedAsync(pipeline);
        Assert.Equal(CircuitState.Closed, host.Engine.GetState("repo").BreakerState);
    }

    [Fact]
    public async Task ExecuteAsync_QuantumNode_RetriesFailedCalls()
    {
        using var host = new TestHost(o =>
        {
            o.MinimumCalls = 1_000;
            o.AddNode("sensor", CosmicLayer.Quantum);
        });
        var attempts = 0;
        var result = await host.Engine.GetPipeline<int>("sensor").ExecuteAsync(_ =>
        {
            attempts++;
            return attempts < 3 ? throw new TimeoutException("noise") : ValueTask.FromResult(7);
        });

        Assert.Equal(7, result);
        Assert.Equal(3, attempts);
    }
}
