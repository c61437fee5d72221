using Cosmos.Isolation.Redis.Telemetry;
using Cosmos.TestUtils;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cosmos.Isolation.Redis.Tests;

[Collection(ClusterProcessesDefinition.Name)]
public sealed class ClusterViewTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static Task WaitUntilAsync(Func<bool> condition) => ClusterProcessTests.WaitUntilAsync(() => Task.FromResult(condition()), Patience);

    [Fact]
    public async Task Telemetry_EveryInstrumentAndSpanName_Published()
    {
        using var metrics = new MetricCollector(IsolationRedisTelemetry.MeterName);
        using var activities = new ActivityCollector(IsolationRedisTelemetry.ActivitySourceName);
        using var server = new RedisServer();
        var cluster = $"t{Guid.NewGuid():N}";
        await using var a = await ClusterInstance.StartAsync(server, cluster, "a");
        await using var b = await ClusterInstance.StartAsync(server, cluster, "b");
        await WaitUntilAsync(() => a.View.GetSnapshot().Instances.Count == 2 && b.View.GetSnapshot().Instances.Count == 2);

        await a.Engine.IsolateAsync("db");
        await WaitUntilAsync(() => b.Engine.IsIsolated("db"));
        await WaitUntilAsync(() => activities.For(IsolationRedisTelemetry.OperatorSpan).Count > 0);
        metrics.RecordObservableInstruments();

        Assert.Equal(
            new[] { IsolationRedisTelemetry.ClusterIsolatedNodes, IsolationRedisTelemetry.HeartbeatDuration, IsolationRedisTelemetry.LiveInstances, IsolationRedisTelemetry.OperatorActions, IsolationRedisTelemetry.RedisErrors, IsolationRedisTelemetry.Stale }.Order(StringComparer.Ordinal),
            metrics.Instruments.Keys.Order(StringComparer.Ordinal));
        var actions = metrics.For(IsolationRedisTelemetry.OperatorActions);
        Assert.Contains(actions, m => (string?)m.Tags["cosmos.origin"] == "local" && (string?)m.Tags["cosmos.action"] == "isolate");
        Assert.Contains(actions, m => (string?)m.Tags["cosmos.origin"] == "remote" && (string?)m.Tags["cosmos.action"] == "isolate");
        Assert.All(metrics.For(IsolationRedisTelemetry.Stale), m => Assert.Equal(0, m.Value));
        Assert.Contains(metrics.For(IsolationRedisTelemetry.LiveInstances), m => m.Value == 2);
        Assert.NotEmpty(metrics.For(IsolationRedisTelemetry.HeartbeatDuration));
        Assert.NotEmpty(activities.For(IsolationRedisTelemetry.HeartbeatSpan));
        var op = activities.For(IsolationRedisTelemetry.OperatorSpan)[0];
        Assert.Equal("db", op.GetTagItem("cosmos.node"));
    }

    [Fact]
    public async Task RedisStopped_SnapshotHealthAndGauge_ReportStale_ThenRestore()
    {
        using var metrics = new MetricCollector(IsolationRedisTelemetry.MeterName);
        using var server = new RedisServer();
        var cluster = $"s{Guid.NewGuid():N}";
        await using var a = await ClusterInstance.StartAsync(server, cluster, "a");
        await using var b = await ClusterInstance.StartAsync(server, cluster, "b");
        await WaitUntilAsync(() => a.View.GetSnapshot().Instances.Count == 2);
        var check = a.Services.GetRequiredService<ClusterIsolationHealthCheck>();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        server.Stop();
        await WaitUntilAsync(() => a.View.IsStale);

        var snapshot = a.View.GetSnapshot();
        Assert.True(snapshot.IsStale);
        Assert.NotNull(snapshot.LastContact);
        Assert.Empty(snapshot.ClusterIsolatedNodes);
        var health = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("Cluster view stale", health.Description, StringComparison.Ordinal);
        Assert.Equal(true, health.Data["stale"]);
        metrics.RecordObservableInstruments();
        Assert.Contains(metrics.For(IsolationRedisTelemetry.Stale), m => m.Value == 1);
        // The call path does not wait on Redis: a call completes while Redis is down.
        await a.Engine.GetPipeline("cache").ExecuteAsync(static _ => ValueTask.CompletedTask);

        server.Start();
        await WaitUntilAsync(() => !a.View.IsStale && a.View.GetSnapshot().Instances.Count == 2);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task Snapshot_QuorumIsolation_ShowsVotesReportsAndClusterIsolatedNode()
    {
        using var server = new RedisServer();
        var cluster = $"q{Guid.NewGuid():N}";
        await using var a = await ClusterInstance.StartAsync(server, cluster, "a");
        await using var b = await ClusterInstance.StartAsync(server, cluster, "b");
        await using var c = await ClusterInstance.StartAsync(server, cluster, "c");
        await WaitUntilAsync(() => c.View.GetSnapshot().Instances.Count == 3);

        a.Engine.ReportImpact("queue", 1.0);
        await WaitUntilAsync(() => a.Engine.IsIsolated("queue"));
        Assert.False(c.Engine.IsIsolated("queue"));
        b.Engine.ReportImpact("queue", 1.0);
        await WaitUntilAsync(() => c.Engine.IsIsolated("queue"));

        var snapshot = c.View.GetSnapshot();
        Assert.Equal("c", snapshot.InstanceId);
        Assert.Equal(2, snapshot.RequiredVotes);
        Assert.Equal(["queue"], snapshot.ClusterIsolatedNodes);
        Assert.Equal("c", snapshot.Instances[0].InstanceId);
        Assert.Equal(["a", "b", "c"], snapshot.Instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal));
        Assert.All(snapshot.Instances.Where(i => i.InstanceId != "c"), i => Assert.True(i.Nodes.Single(n => n.NodeId == "queue").Level >= IsolationLevel.Local));
        // The third instance reports only its own evidence: the imposed isolation is no vote.
        Assert.Equal(IsolationLevel.Normal, snapshot.Instances[0].Nodes.Single(n => n.NodeId == "queue").Level);
        Assert.Equal(IsolationLevel.Local, snapshot.Local.Nodes.Single(n => n.Id == "queue").Level);
        var health = await c.Services.GetRequiredService<ClusterIsolationHealthCheck>().CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);

        // One instance leaving drops the votes to one: the isolation lifts on the third.
        await a.DisposeAsync();
        await WaitUntilAsync(() => !c.Engine.IsIsolated("queue"));
    }

    [Fact]
    public async Task ReleaseAll_OnOneInstance_ReleasesGlobalIsolationEverywhere()
    {
        using var server = new RedisServer();
        var cluster = $"g{Guid.NewGuid():N}";
        await using var a = await ClusterInstance.StartAsync(server, cluster, "a");
        await using var b = await ClusterInstance.StartAsync(server, cluster, "b");
        await WaitUntilAsync(() => b.View.GetSnapshot().Instances.Count == 2);

        await a.Engine.IsolateAllAsync();
        await WaitUntilAsync(() => b.Engine.IsGloballyIsolated);
        await b.Engine.ReleaseAllAsync();
        await WaitUntilAsync(() => !a.Engine.IsGloballyIsolated);
        Assert.False(b.Engine.IsGloballyIsolated);
    }

    [Fact]
    public async Task LateJoiner_ReplaysOperatorLog_OperatorIsolationAndReleaseApplied()
    {
        using var server = new RedisServer();
        var cluster = $"l{Guid.NewGuid():N}";
        await using var a = await ClusterInstance.StartAsync(server, cluster, "a");
        await WaitUntilAsync(() => !a.View.IsStale);
        await a.Engine.IsolateAsync("search");
        await a.Engine.IsolateAsync("queue");
        await a.Engine.ReleaseAsync("queue");

        await using var late = await ClusterInstance.StartAsync(server, cluster, "late");
        await WaitUntilAsync(() => late.Engine.IsIsolated("search"));

        Assert.False(late.Engine.IsIsolated("queue"));
        Assert.Equal(RecoveryStage.AwaitingRelease, late.Engine.GetState("search").Recovery);
        await late.Engine.ReleaseAsync("search");
        await WaitUntilAsync(() => !a.Engine.IsIsolated("search"));
    }
}
