using Cosmos.Core;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Tests;

public sealed class RecoveryTests
{
    private static TestHost CreateIsolatedHost()
    {
        var host = new TestHost(o => o.AddNode("noise", CosmicLayer.Quantum));
        Assert.Equal(IsolationLevel.Local, host.Engine.ReportImpact("noise", 0.5));
        return host;
    }

    [Fact]
    public void Recovery_BeforeBreakDuration_StaysBlocked()
    {
        using var host = CreateIsolatedHost();
        host.Engine.ReportHealth("noise", 0.9);
        host.Time.Advance(TimeSpan.FromSeconds(59));
        var state = host.Engine.GetState("noise");
        Assert.Equal(RecoveryStage.Waiting, state.Recovery);
        Assert.True(host.Engine.IsIsolated("noise"));
    }

    [Fact]
    public async Task Recovery_HealthAboveSeventyPercent_HealsAutomatically()
    {
        using var host = CreateIsolatedHost();
        host.Engine.ReportHealth("noise", 0.71);
        host.Time.Advance(TimeSpan.FromSeconds(60));
        await host.Engine.EvaluateAsync();

        var state = host.Engine.GetState("noise");
        Assert.Equal(IsolationLevel.Normal, state.Level);
        Assert.Equal(RecoveryStage.None, state.Recovery);
        Assert.Equal(CircuitState.Closed, state.BreakerState);
        Assert.False(host.Engine.IsIsolated("noise"));
    }

    [Fact]
    public async Task Recovery_PartialHealth_AdmitsFractionThatRampsWithHealth()
    {
        using var host = CreateIsolatedHost();
        host.Engine.ReportHealth("noise", 0.55); // admission = (0.55 − 0.4) / 0.3 = 0.5
        host.Time.Advance(TimeSpan.FromSeconds(60));
        await host.Engine.EvaluateAsync();

        var state = host.Engine.GetState("noise");
        Assert.Equal(RecoveryStage.Partial, state.Recovery);
        Assert.Equal(0.5, state.Admission, 12);
        Assert.Equal(CircuitState.Closed, state.BreakerState);
        Assert.Equal(5, await CountAdmittedAsync(host, 10));

        host.Engine.ReportHealth("noise", 0.67); // admission = 0.9
        await host.Engine.EvaluateAsync();
        Assert.Equal(0.9, host.Engine.GetState("noise").Admission, 12);
        Assert.Equal(90, await CountAdmittedAsync(host, 100));
    }

    [Fact]
    public async Task Recovery_PartialTraffic_SucceedsAndHeals()
    {
        using var host = CreateIsolatedHost();
        host.Engine.ReportHealth("noise", 0.6);
        host.Time.Advance(TimeSpan.FromSeconds(60));
        await host.Engine.EvaluateAsync();
        Assert.Equal(RecoveryStage.Partial, host.Engine.GetState("noise").Recovery);

        // Admitted calls succeed; once the window holds enough of them the health score (1 − failure rate) is 1.
        await CountAdmittedAsync(host, 40);
        await host.Engine.EvaluateAsync();
        Assert.False(host.Engine.IsIsolated("noise"));
        Assert.Equal(1.0, host.Engine.GetState("noise").Health);
    }

    [Fact]
    public async Task Recovery_HealthAtFortyPercent_WaitsForOperatorRelease()
    {
        using var host = CreateIsolatedHost();
        host.Engine.ReportHealth("noise", 0.4);
        host.Time.Advance(TimeSpan.FromSeconds(60));
        await host.Engine.EvaluateAsync();
        Assert.Equal(RecoveryStage.AwaitingRelease, host.Engine.GetState("noise").Recovery);

        // Latched: a better score later does not heal it on its own.
        host.Engine.ReportHealth("noise", 0.95);
        host.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(host.Engine.IsIsolated("noise"));
        Assert.Equal(CircuitState.Isolated, host.Engine.GetState("noise").BreakerState);

        await host.Engine.ReleaseAsync("noise");
        var state = host.Engine.GetState("noise");
        Assert.False(host.Engine.IsIsolated("noise"));
        Assert.Equal(CircuitState.Closed, state.BreakerState);
        Assert.Equal(RecoveryStage.None, state.Recovery);
        Assert.Equal(1.0, state.Health);
    }

    [Fact]
    public async Task ManualIsolation_NeverHealsAutomatically()
    {
        using var host = new TestHost(o => o.AddNode("svc", CosmicLayer.Compound));
        await host.Engine.IsolateAsync("svc");
        host.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(host.Engine.IsIsolated("svc"));
        Assert.Equal(RecoveryStage.AwaitingRelease, host.Engine.GetState("svc").Recovery);

        await host.Engine.ReleaseAsync("svc");
        await TestHost.SucceedAsync(host.Engine.GetPipeline("svc"));
    }

    [Fact]
    public async Task ReleaseAsync_BreakerOpenedByFailures_ClosesIt()
    {
        using var host = new TestHost(o =>
        {
            o.MinimumCalls = 1_000;
            o.AddNode("svc", CosmicLayer.Compound);
        });
        for (var i = 0; i < 5; i++)
        {
            await TestHost.FailAsync(host.Engine.GetPipeline("svc"));
        }

        Assert.Equal(CircuitState.Open, host.Engine.GetState("svc").BreakerState);
        await host.Engine.ReleaseAsync("svc");
        Assert.Equal(CircuitState.Closed, host.Engine.GetState("svc").BreakerState);
    }

    private static async Task<int> CountAdmittedAsync(TestHost host, int calls)
    {
        var admitted = 0;
        var pipeline = host.Engine.GetPipeline("noise");
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
}
