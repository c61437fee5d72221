using System.Diagnostics;
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
    public async Task Telemetry_EveryInstrumentAndSpan_PublishedUnderItsName()
    {
        using var host = new TestHost(o =>
        {
            o.AddNode("replica", CosmicLayer.Ecosystem);
            o.AddNode("db", CosmicLayer.Ecosystem).WithAlternates("replica").WithProbe(_ => ValueTask.FromResult(true));
        }, metrics: true);
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        var instruments = new HashSet<string>(StringComparer.Ordinal);
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == "Cosmos.Isolation" && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    lock (instruments)
                    {
                        instruments.Add(instrument.Name);
                    }
                }
            },
        };
        meterListener.Start();

        var spans = new List<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Cosmos.Isolation",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(activityListener);
        using var collector = new MetricCollector("Cosmos.Isolation", factory);

        host.Engine.ReportImpact("db", 0.9);
        await TestHost.SucceedAsync(host.Engine.GetPipeline("db")); // failed over to the replica
        host.Time.Advance(TimeSpan.FromSeconds(60));
        await host.Engine.EvaluateAsync();

        Assert.Equal(
            ["cosmos.isolation.failovers", "cosmos.isolation.global", "cosmos.isolation.health", "cosmos.isolation.isolated_nodes",
             "cosmos.isolation.rejections", "cosmos.isolation.transitions"],
            instruments.Order(StringComparer.Ordinal));
        Assert.Equal("Cosmos.Isolation", Telemetry.IsolationTelemetry.MeterName);
        Assert.Equal("Cosmos.Isolation", Telemetry.IsolationTelemetry.ActivitySourceName);
        Assert.Equal(1, collector.Sum("cosmos.isolation.failovers"));
        Assert.Contains(spans, a => a.OperationName == "cosmos.isolation.decision" && (string?)a.GetTagItem("cosmos.node") == "db" && (string?)a.GetTagItem("cosmos.decision") == "isolate");
        Assert.Contains(spans, a => a.OperationName == "cosmos.isolation.decision" && (string?)a.GetTagItem("cosmos.decision") == "heal");
        Assert.Contains(spans, a => a.OperationName == "cosmos.isolation.probe" && (string?)a.GetTagItem("cosmos.node") == "db");
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
    public async Task OptionsReload_ChangesThresholdsWithoutResettingBreakerOrDecisions()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var options = new CosmosIsolationOptions { EvaluationInterval = TimeSpan.FromHours(1) };
        options.AddNode("svc", CosmicLayer.Compound);
        options.AddNode("other", CosmicLayer.Compound);
        var monitor = new TestOptionsMonitor(options);
        using var engine = TestOptionsMonitor.CreateEngine(monitor, time);
        var pipeline = engine.GetPipeline("svc");
        for (var i = 0; i < 5; i++)
        {
            await TestHost.FailAsync(pipeline);
        }

        Assert.Equal(CircuitState.Open, engine.GetState("svc").BreakerState);

        var reloaded = new CosmosIsolationOptions { EvaluationInterval = TimeSpan.FromHours(1) };
        reloaded.AddNode("svc", CosmicLayer.Compound);
        reloaded.AddNode("other", CosmicLayer.Compound);
        reloaded.Layers[CosmicLayer.Compound].FailureThreshold = 2;
        reloaded.Layers[CosmicLayer.Compound].BreakDuration = TimeSpan.FromSeconds(10);
        monitor.Reload(reloaded);
        var state = engine.GetState("svc");
        Assert.Equal((CircuitState.Open, IsolationLevel.Local, 5L), (state.BreakerState, state.Level, state.Failures));

        // The new break duration and threshold apply at once.
        time.Advance(TimeSpan.FromSeconds(10));
        await engine.EvaluateAsync();
        Assert.Equal(RecoveryStage.Trial, engine.GetState("svc").Recovery);
        var other = engine.GetPipeline("other");
        await TestHost.FailAsync(other);
        await TestHost.FailAsync(other);
        Assert.Equal(CircuitState.Open, engine.GetState("other").BreakerState);
        Assert.True(engine.IsIsolated("other"));
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
