using System.Diagnostics.Metrics;
using Cosmos.Core;
using Cosmos.Isolation.Internal;
using Cosmos.TestUtils;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Meter_Isolation_RecordsTransitionsIsolatedNodesAndHealth()
    {
        using var host = new TestHost(o =>
        {
            o.AddNode("db", CosmicLayer.Ecosystem);
            o.AddNode("repo", CosmicLayer.Compound, "db");
        }, metrics: true);
        using var collector = new MetricCollector("Cosmos.Isolation", host.Services.GetRequiredService<IMeterFactory>());

        await host.Engine.IsolateAsync("db", IsolationScope.Subtree);
        await Assert.ThrowsAsync<NodeIsolatedException>(async () => await TestHost.SucceedAsync(host.Engine.GetPipeline("repo")));
        collector.RecordObservableInstruments();

        var transitions = collector.For("cosmos.isolation.transitions");
        Assert.Contains(transitions, m => (string?)m.Tags["cosmos.node"] == "repo" && (string?)m.Tags["cosmos.to"] == "Subtree");
        Assert.Equal(1, collector.Sum("cosmos.isolation.rejections"));
        var isolatedNodes = collector.For("cosmos.isolation.isolated_nodes");
        Assert.Equal(2, isolatedNodes[^1].Value);
        Assert.Equal(2, collector.For("cosmos.isolation.health").Count);
    }

    [Fact]
    public async Task HealthCheck_ReflectsIsolation()
    {
        using var host = new TestHost(o => o.AddNode("db", CosmicLayer.Ecosystem));
        var check = host.Services.GetRequiredService<IsolationHealthCheck>();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        await host.Engine.IsolateAsync("db");
        var degraded = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("Local", (string)degraded.Data["db"], StringComparison.Ordinal);

        await host.Engine.IsolateAllAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task OptionsReload_ChangesThresholdsWithoutResettingBreaker()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var options = new CosmosIsolationOptions { MinimumCalls = 1_000 };
        options.AddNode("svc", CosmicLayer.Compound);
        var monitor = new TestOptionsMonitor(options);
        using var engine = TestOptionsMonitor.CreateEngine(monitor, time);
        var pipeline = engine.GetPipeline("svc");
        for (var i = 0; i < 5; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        Assert.Equal(CircuitState.Open, engine.GetState("svc").BreakerState);

        var reloaded = new CosmosIsolationOptions { MinimumCalls = 1_000 };
        reloaded.AddNode("svc", CosmicLayer.Compound);
        reloaded.Layers[CosmicLayer.Compound].FailureThreshold = 2;
        monitor.Reload(reloaded);
        Assert.Equal(CircuitState.Open, engine.GetState("svc").BreakerState);
        Assert.Equal(5, engine.GetState("svc").Failures);

        time.Advance(TimeSpan.FromSeconds(60));
        await TestHost.SucceedAsync(pipeline);
        await TestHost.FailAsync(pipeline);
        Assert.Equal(CircuitState.Closed, engine.GetState("svc").BreakerState);
        await TestHost.FailAsync(pipeline);
        Assert.Equal(CircuitState.Open, engine.GetState("svc").BreakerState);
    }

    [Fact]
    public void Snapshot_ListsEveryNodeInDeclarationOrder()
    {
        using var host = new TestHost(o =>
        {
            o.AddNode("db", CosmicLayer.Ecosystem);
            o.AddNode("repo", CosmicLayer.Compound, "db");
        });
        host.Engine.ReportImpact("repo", 0.25);
        var snapshot = host.Engine.GetSnapshot();
        Assert.Equal(["db", "repo"], snapshot.Nodes.Select(n => n.Id));
        Assert.Equal(IsolationLevel.Warning, snapshot.Nodes[1].Level);
        Assert.Equal(host.Time.GetUtcNow(), snapshot.Timestamp);
        Assert.Equal(0, snapshot.IndependentFailureShare);
    }
}
