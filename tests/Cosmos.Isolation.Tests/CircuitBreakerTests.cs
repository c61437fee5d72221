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
    public async Task ExecuteAsync_FiveFailures_OpensBreakerAndRejectsUntilBreakDuration()
    {
        using var host = CreateHost();
        var pipeline = host.Engine.GetPipeline("repo");
        for (var i = 0; i < 4; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        Assert.Equal(CircuitState.Closed, host.Engine.GetState("repo").BreakerState);
        await TestHost.FailAsync(pipeline);
        Assert.Equal(CircuitState.Open, host.Engine.GetState("repo").BreakerState);

        var executed = 0;
        await Assert.ThrowsAsync<BrokenCircuitException>(async () => await pipeline.ExecuteAsync(_ => { executed++; return ValueTask.CompletedTask; }));
        host.Time.Advance(TimeSpan.FromSeconds(59));
        await Assert.ThrowsAsync<BrokenCircuitException>(async () => await pipeline.ExecuteAsync(_ => { executed++; return ValueTask.CompletedTask; }));
        Assert.Equal(0, executed);
        Assert.False(host.Engine.IsIsolated("repo"));
    }

    [Fact]
    public async Task ExecuteAsync_AfterBreakDuration_HalfOpenSuccessCloses()
    {
        using var host = CreateHost();
        var pipeline = host.Engine.GetPipeline("repo");
        for (var i = 0; i < 5; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        host.Time.Advance(TimeSpan.FromSeconds(60));
        var seen = CircuitState.Closed;
        await pipeline.ExecuteAsync(_ => { seen = host.Engine.GetState("repo").BreakerState; return ValueTask.CompletedTask; });
        Assert.Equal(CircuitState.HalfOpen, seen);
        Assert.Equal(CircuitState.Closed, host.Engine.GetState("repo").BreakerState);

        // Closed and reset: four new failures do not open it again.
        for (var i = 0; i < 4; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        Assert.Equal(CircuitState.Closed, host.Engine.GetState("repo").BreakerState);
    }

    [Fact]
    public async Task ExecuteAsync_HalfOpenFailure_ReopensBreaker()
    {
        using var host = CreateHost();
        var pipeline = host.Engine.GetPipeline("repo");
        for (var i = 0; i < 5; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        host.Time.Advance(TimeSpan.FromSeconds(60));
        await TestHost.FailAsync(pipeline);
        Assert.Equal(CircuitState.Open, host.Engine.GetState("repo").BreakerState);
        await Assert.ThrowsAsync<BrokenCircuitException>(async () => await TestHost.SucceedAsync(pipeline));
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
