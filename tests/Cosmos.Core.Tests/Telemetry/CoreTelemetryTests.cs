using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cosmos.Core.Caching;
using Cosmos.Core.Execution;
using Cosmos.Core.Graph;
using Cosmos.Core.Memory;
using Cosmos.Core.Telemetry;
using Cosmos.TestUtils;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Cosmos.Core.Tests.Telemetry;

public class CoreTelemetryTests
{
    // Written out rather than read from CoreTelemetry, so renaming a published name fails here first.
    private static readonly string[] ExpectedInstruments =
    [
        "cosmos.core.pool.rented",
        "cosmos.core.pool.available",
        "cosmos.core.pool.misses",
        "cosmos.core.pool.allocated",
        "cosmos.core.pool.trimmed",
        "cosmos.core.cache.hits",
        "cosmos.core.cache.misses",
        "cosmos.core.cache.evictions",
        "cosmos.core.cache.entries",
        "cosmos.core.cache.size",
        "cosmos.core.executor.nodes",
        "cosmos.core.executor.active",
    ];

    [Fact]
    public void Names_AreThePackageName()
    {
        Assert.Equal("Cosmos.Core", CoreTelemetry.MeterName);
        Assert.Equal("Cosmos.Core", CoreTelemetry.ActivitySourceName);
        Assert.Equal("Cosmos.Core", CoreInstrumentation.ActivitySource.Name);
    }

    [Fact]
    public void AddCosmosCore_PublishesEveryInstrument_OnTheCosmosCoreMeter()
    {
        using var services = new ServiceCollection().AddMetrics().AddCosmosCore().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var collector = new MetricCollector(CoreTelemetry.MeterName, factory);

        services.GetRequiredService<ChunkPool>();
        services.GetRequiredService<TieredCache>();
        services.GetRequiredService<ParallelNodeExecutor>();

        Assert.Equal(ExpectedInstruments.Order(StringComparer.Ordinal), collector.Instruments.Keys.Order(StringComparer.Ordinal));
        Assert.All(collector.Instruments.Values, i =>
        {
            Assert.Equal(CoreTelemetry.MeterName, i.Meter.Name);
            Assert.Matches("^cosmos\\.core\\.[a-z]+\\.[a-z_]+$", i.Name);
            Assert.False(string.IsNullOrEmpty(i.Unit));
            Assert.False(string.IsNullOrEmpty(i.Description));
        });
    }

    [Fact]
    public void InstrumentConstants_MatchPublishedNames()
    {
        string[] constants =
        [
            CoreTelemetry.PoolRented, CoreTelemetry.PoolAvailable, CoreTelemetry.PoolMisses, CoreTelemetry.PoolAllocated, CoreTelemetry.PoolTrimmed,
            CoreTelemetry.CacheHits, CoreTelemetry.CacheMisses, CoreTelemetry.CacheEvictions, CoreTelemetry.CacheEntries, CoreTelemetry.CacheSize,
            CoreTelemetry.ExecutorNodes, CoreTelemetry.ExecutorActive,
        ];
        Assert.Equal(ExpectedInstruments, constants);
        Assert.Equal("cosmos.core.executor.run", CoreTelemetry.ExecuteRunSpan);
        Assert.Equal("cosmos.core.executor.node", CoreTelemetry.ExecuteNodeSpan);
        Assert.Equal("cosmos.core.propagation.propagate", CoreTelemetry.PropagateSpan);
        Assert.Equal("cosmos.core.pool.trim", CoreTelemetry.PoolTrimSpan);
    }

    [Fact]
    public async Task ExecuteAsync_Listened_RunSpanParentsOneSpanPerStartedNode()
    {
        using var collector = new ActivityCollector(CoreTelemetry.ActivitySourceName);
        var executor = new ParallelNodeExecutor(new ParallelExecutorOptions { MaxDegreeOfParallelism = 2 }, new Gate("b"));
        using var root = new Activity("test").Start();

        await executor.ExecuteAsync(["a", "b", "c"], (id, _) => id == "c" ? throw new InvalidOperationException("boom") : ValueTask.CompletedTask);
        root.Stop();

        var spans = collector.DescendantsOf(root);
        var run = Assert.Single(spans, s => s.OperationName == CoreTelemetry.ExecuteRunSpan);
        Assert.Equal(CoreTelemetry.ActivitySourceName, run.Source.Name);
        Assert.Equal(root.SpanId, run.ParentSpanId);
        Assert.Equal(3, run.GetTagItem(CoreTelemetry.NodeCountTag));
        Assert.Equal(ActivityStatusCode.Error, run.Status);

        // "b" is isolated: bypassed without a node span.
        var nodes = spans.Where(s => s.OperationName == CoreTelemetry.ExecuteNodeSpan).ToList();
        Assert.Equal(["a", "c"], nodes.Select(n => (string)n.GetTagItem(CoreTelemetry.NodeIdTag)!).Order(StringComparer.Ordinal));
        Assert.All(nodes, n => Assert.Equal(run.SpanId, n.ParentSpanId));
        var failed = Assert.Single(nodes, n => (string?)n.GetTagItem(CoreTelemetry.ExecutorStatusTag) == "failed");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("c", failed.GetTagItem(CoreTelemetry.NodeIdTag));
    }

    [Fact]
    public void Propagate_Listened_RecordsSourcesAndReachedNodes()
    {
        using var collector = new ActivityCollector(CoreTelemetry.ActivitySourceName);
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(3);
        builder.AddDependency(1, 0);
        builder.AddDependency(2, 1);
        var propagator = new ImpactPropagator(builder.Build());
        using var root = new Activity("test").Start();

        var reached = propagator.Propagate(0, 0.5, new double[3]);
        root.Stop();

        var span = Assert.Single(collector.DescendantsOf(root));
        Assert.Equal(CoreTelemetry.PropagateSpan, span.OperationName);
        Assert.Equal(1, span.GetTagItem(CoreTelemetry.NodeCountTag));
        Assert.Equal(3, reached);
        Assert.Equal(3, span.GetTagItem(CoreTelemetry.PropagationReachedTag));
    }

    [Fact]
    public void Trim_Listened_RecordsReleasedChunks()
    {
        using var collector = new ActivityCollector(CoreTelemetry.ActivitySourceName);
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 4, PressureCheckInterval = TimeSpan.Zero });
        using var root = new Activity("test").Start();

        pool.Trim();
        root.Stop();

        var span = Assert.Single(collector.DescendantsOf(root));
        Assert.Equal(CoreTelemetry.PoolTrimSpan, span.OperationName);
        Assert.Equal(4, span.GetTagItem(CoreTelemetry.PoolReleasedTag));
    }

    [Fact]
    public async Task Logs_UseStableEventIdsInCoreRange()
    {
        var executorLog = new FakeLogger();
        var executor = new ParallelNodeExecutor(null, new Gate("b"), null, executorLog);
        await executor.ExecuteAsync(["a", "b", "c"], (id, _) => id == "c" ? throw new InvalidOperationException("boom") : ValueTask.CompletedTask);

        var failed = Assert.Single(executorLog.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Equal(new EventId(1100, "NodeFailed"), failed.Id);
        Assert.IsType<InvalidOperationException>(failed.Exception);
        var bypassed = Assert.Single(executorLog.Collector.GetSnapshot(), r => r.Level == LogLevel.Debug);
        Assert.Equal(new EventId(1101, "NodeBypassed"), bypassed.Id);

        var poolLog = new FakeLogger();
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 2, PressureCheckInterval = TimeSpan.Zero }, null, null, poolLog, () => 0.9);
        pool.TrimIfUnderPressure();
        var trimmed = Assert.Single(poolLog.Collector.GetSnapshot());
        Assert.Equal(new EventId(1000, "ChunkPoolTrimmed"), trimmed.Id);
        Assert.InRange(trimmed.Id.Id, 1000, 1999);
    }

    private sealed class Gate(string isolated) : INodeIsolationGate
    {
        public bool IsIsolated(string nodeId) => nodeId == isolated;
    }
}
