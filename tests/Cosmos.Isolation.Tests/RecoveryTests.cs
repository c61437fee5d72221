using Cosmos.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Tests;

/// <summary>Recovery from fresh evidence: after the break duration a probe or a budget of trial calls measures health anew,
/// and the SPEC tiers apply to that score only.</summary>
public sealed class RecoveryTests
{
    private static TestHost CreateIsolatedHost(Action<IsolationNode>? declare = null)
    {
        var host = new TestHost(o =>
        {
            var node = o.AddNode("svc", CosmicLayer.Compound);
            declare?.Invoke(node);
        });
        Assert.Equal(IsolationLevel.Local, host.Engine.ReportImpact("svc", 0.5));
        return host;
    }

    [Fact]
    public async Task Recovery_BeforeBreakDuration_StaysWaitingWhateverTheScore()
    {
        using var host = CreateIsolatedHost();
        host.Engine.ReportHealth("svc", 0.9);
        host.Time.Advance(TimeSpan.FromSeconds(59));
        await host.Engine.EvaluateAsync();
        Assert.Equal(RecoveryStage.Waiting, host.Engine.GetState("svc").Recovery);
        Assert.True(host.Engine.IsIsolated("svc"));
    }

    [Fact]
    public async Task Recovery_WindowThatIsolatedAtFortyPercent_DoesNotLatchWithoutFreshEvidence()
    {
        using var host = new TestHost(o => o.AddNode("svc", CosmicLayer.Atomic));
        for (var i = 0; i < 10; i++)
        {
            // 6 failures of 10, never 5 in a row: health 0.40 and impact 0.24 ≥ 0.20 isolate the node.
            host.Engine.ReportOutcome("svc", success: i is 2 or 5 or 7 or 8, TimeSpan.Zero);
        }

        var isolated = host.Engine.GetState("svc");
        Assert.Equal(IsolationLevel.Local, isolated.Level);
        Assert.Equal(0.4, isolated.Health, 12);

        host.Time.Advance(TimeSpan.FromSeconds(60));
        await host.Engine.EvaluateAsync();
        Assert.Equal(RecoveryStage.Trial, host.Engine.GetState("svc").Recovery);
        for (var i = 0; i < 10; i++)
        {
            await TestHost.SucceedAsync(host.Engine.GetPipeline("svc"));
        }

        Assert.False(host.Engine.IsIsolated("svc"));
    }

    [Fact]
    public async Task Recovery_TrialCalls_AdmitsExactlyTheBudgetThenJudges()
    {
        using var host = CreateIsolatedHost();
        host.Time.Advance(TimeSpan.FromSeconds(60));
        await host.Engine.EvaluateAsync();

        // Ten trial calls that never complete hold the budget: the eleventh is rejected, and retry is due now.
        var pending = new List<TaskCompletionSource>();
        var calls = new List<Task>();
        for (var i = 0; i < 10; i++)
        {
            var gate = new TaskCompletionSource();
            pending.Add(gate);
            calls.Add(host.Engine.GetPipeline("svc").ExecuteAsync(async _ => await gate.Task).AsTask());
        }

        var rejected = await Assert.ThrowsAsync<NodeIsolatedException>(async () => await TestHost.SucceedAsync(host.Engine.GetPipeline("svc")));
        Assert.Equal(TimeSpan.Zero, rejected.RetryAfter);
        Assert.Equal(RecoveryStage.Trial, host.Engine.GetState("svc").Recovery);

        pending.ForEach(p => p.SetResult());
        await Task.WhenAll(calls);
        Assert.Equal(RecoveryStage.None, host.Engine.GetState("svc").Recovery);
        Assert.False(host.Engine.IsIsolated("svc"));
    }

    [Fact]
    public async Task Recovery_TrialHealthInRampBand_AdmitsShareUntilNextJudgement()
    {
        using var host = CreateIsolatedHost();
        host.Time.Advance(TimeSpan.FromSeconds(60));
        await host.Engine.EvaluateAsync();
        var pipeline = host.Engine.GetPipeline("svc");
        for (var i = 0; i < 10; i++)
        {
            // 4 of 10 trial calls fail (spread out): fresh health 0.6 → admit (0.6 − 0.4) / 0.3 = 2/3 of calls.
            if (i % 5 is 1 or 3)
            {
                await TestHost.FailAsync(pipeline);
            }
            else
            {
                await TestHost.SucceedAsync(pipeline);
            }
        }

        var partial = host.Engine.GetState("svc");
        Assert.Equal(RecoveryStage.Partial, partial.Recovery);
        Assert.Equal(0.6, partial.Health, 12);
        Assert.Equal(2.0 / 3, partial.Admission, 12);
        Assert.Equal(CircuitState.Closed, partial.BreakerState);
        Assert.Equal(6, await CountAdmittedAsync(host, 9)); // ⌊9 · 2/3⌋

        // Four more admitted successes complete ten fresh outcomes, all good: healed.
        Assert.Equal(4, await CountAdmittedAsync(host, 6));
        Assert.False(host.Engine.IsIsolated("svc"));
        Assert.Equal(1.0, host.Engine.GetState("svc").Health);
    }

    [Fact]
    public async Task Recovery_HealthCheckDegradedThenHealthy_RampsThenHeals()
    {
        var check = new SettableHealthCheck { Status = HealthStatus.Degraded };
        using var host = CreateIsolatedHost(node => node.WithHealthCheck(check));
        host.Time.Advance(TimeSpan.FromSeconds(60));
        await host.Engine.EvaluateAsync();

        var partial = host.Engine.GetState("svc");
        Assert.Equal(RecoveryStage.Partial, partial.Recovery);
        Assert.Equal(0.5, partial.Health, 12);
        Assert.Equal(5, check.Runs);

        check.Status = HealthStatus.Healthy;
        await host.Engine.EvaluateAsync();
        Assert.Equal(RecoveryStage.None, host.Engine.GetState("svc").Recovery);
        Assert.False(host.Engine.IsIsolated("svc"));
    }

    [Fact]
    public async Task Recovery_ProbeTimesOut_ScoresZeroAndLatches()
    {
        var host = new TestHost(o =>
        {
            o.Recovery.ProbeAttempts = 1;
            o.AddNode("svc", CosmicLayer.Compound).WithProbe(async ct =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return true;
            });
        });
        using (host)
        {
            host.Engine.ReportImpact("svc", 0.5);
            host.Time.Advance(TimeSpan.FromSeconds(60));
            var evaluation = host.Engine.EvaluateAsync();
            Assert.False(evaluation.IsCompleted);
            host.Time.Advance(TimeSpan.FromSeconds(5)); // RecoveryOptions.ProbeTimeout
            await evaluation;
            Assert.Equal(RecoveryStage.AwaitingRelease, host.Engine.GetState("svc").Recovery);
        }
    }

    [Fact]
    public async Task Recovery_AwaitingRelease_LaterGoodScoreDoesNotHeal()
    {
        using var host = CreateIsolatedHost(node => node.WithProbe(_ => ValueTask.FromResult(false)));
        host.Time.Advance(TimeSpan.FromSeconds(60));
        await host.Engine.EvaluateAsync();
        Assert.Equal(RecoveryStage.AwaitingRelease, host.Engine.GetState("svc").Recovery);

        host.Engine.ReportHealth("svc", 0.95);
        host.Time.Advance(TimeSpan.FromMinutes(5));
        await host.Engine.EvaluateAsync();
        Assert.True(host.Engine.IsIsolated("svc"));

        await host.Engine.ReleaseAsync("svc");
        var state = host.Engine.GetState("svc");
        Assert.False(host.Engine.IsIsolated("svc"));
        Assert.Equal((RecoveryStage.None, 1.0, CircuitState.Closed), (state.Recovery, state.Health, state.BreakerState));
    }

    [Fact]
    public async Task ManualIsolation_NeverHealsAutomatically()
    {
        using var host = new TestHost(o => o.AddNode("svc", CosmicLayer.Compound).WithProbe(_ => ValueTask.FromResult(true)));
        await host.Engine.IsolateAsync("svc");
        host.Time.Advance(TimeSpan.FromMinutes(10));
        await host.Engine.EvaluateAsync();
        Assert.True(host.Engine.IsIsolated("svc"));
        Assert.Equal(RecoveryStage.AwaitingRelease, host.Engine.GetState("svc").Recovery);

        await host.Engine.ReleaseAsync("svc");
        await TestHost.SucceedAsync(host.Engine.GetPipeline("svc"));
    }

    [Fact]
    public async Task ReleaseAsync_BreakerOpenedByFailures_ClosesItBeforeCallsPass()
    {
        using var host = new TestHost(o => o.AddNode("svc", CosmicLayer.Compound));
        for (var i = 0; i < 5; i++)
        {
            await TestHost.FailAsync(host.Engine.GetPipeline("svc"));
        }

        Assert.Equal(CircuitState.Open, host.Engine.GetState("svc").BreakerState);
        await host.Engine.ReleaseAsync("svc");
        Assert.Equal(CircuitState.Closed, host.Engine.GetState("svc").BreakerState);
        await TestHost.SucceedAsync(host.Engine.GetPipeline("svc"));
    }

    private static async Task<int> CountAdmittedAsync(TestHost host, int calls)
    {
        var admitted = 0;
        var pipeline = host.Engine.GetPipeline("svc");
        for (var i = 0; i < calls; i++)
        {
            try
            {
                await pipeline.ExecuteAsync(_ => { admitted++; return ValueTask.CompletedTask; });
            }
            catch (NodeIsolatedException)
            {
            }
        }

        return admitted;
    }

    private sealed class SettableHealthCheck : IHealthCheck
    {
        public HealthStatus Status { get; set; }

        public int Runs { get; private set; }

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Runs++;
            return Task.FromResult(new HealthCheckResult(Status));
        }
    }
}
