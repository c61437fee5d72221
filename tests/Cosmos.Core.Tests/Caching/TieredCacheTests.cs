using System.Diagnostics.Metrics;
using Cosmos.Core.Caching;
using Cosmos.Core.Telemetry;
using Cosmos.TestUtils;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Core.Tests.Caching;

public class TieredCacheTests
{
    [Fact]
    public void Defaults_MatchTheSpecification()
    {
        var options = new TieredCacheOptions();
        Assert.Equal(TimeSpan.FromMinutes(5), options.Node.TimeToLive);
        Assert.Equal(100L * 1024 * 1024, options.Node.SizeLimit);
        Assert.Equal(TimeSpan.FromMinutes(30), options.Subtree.TimeToLive);
        Assert.Equal(500L * 1024 * 1024, options.Subtree.SizeLimit);
        Assert.Equal(TimeSpan.FromHours(2), options.System.TimeToLive);
        Assert.Equal(2L * 1024 * 1024 * 1024, options.System.SizeLimit);
    }

    [Fact]
    public void SetAndTryGetValue_TiersAreSeparate()
    {
        using var cache = new TieredCache();
        Assert.True(cache.Set(CacheTier.Node, "k", "node value"));
        cache.Set(CacheTier.System, "k", 42, size: 8);

        Assert.True(cache.TryGetValue<string>(CacheTier.Node, "k", out var node));
        Assert.Equal("node value", node);
        Assert.True(cache.TryGetValue<int>(CacheTier.System, "k", out var system));
        Assert.Equal(42, system);
        Assert.False(cache.TryGetValue<string>(CacheTier.Subtree, "k", out _));
        Assert.False(cache.TryGetValue<int>(CacheTier.Node, "k", out _));
    }

    [Fact]
    public void TryGetValue_AfterTimeToLive_MissesOnManualClock()
    {
        var time = new FakeTimeProvider();
        using var cache = new TieredCache(null, time);
        cache.Set(CacheTier.Node, "n", 1, 4);
        cache.Set(CacheTier.Subtree, "s", 2, 4);

        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.True(cache.TryGetValue<int>(CacheTier.Node, "n", out _));
        time.Advance(TimeSpan.FromTicks(1));
        Assert.False(cache.TryGetValue<int>(CacheTier.Node, "n", out _));
        Assert.True(cache.TryGetValue<int>(CacheTier.Subtree, "s", out _));

        time.Advance(TimeSpan.FromMinutes(25));
        Assert.False(cache.TryGetValue<int>(CacheTier.Subtree, "s", out _));
        Assert.True(SpinWait.SpinUntil(() => cache.GetStatistics(CacheTier.Node).Evictions == 1, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Set_BeyondSizeLimit_NeverExceedsCapacityAndEvicts()
    {
        var options = new TieredCacheOptions { Node = new CacheTierOptions { TimeToLive = TimeSpan.FromMinutes(1), SizeLimit = 100 } };
        using var cache = new TieredCache(options);

        Assert.False(cache.Set(CacheTier.Node, "huge", new byte[101]));
        for (var i = 0; i < 30; i++)
        {
            cache.Set(CacheTier.Node, i, new byte[10]);
            Assert.True(cache.GetStatistics(CacheTier.Node).Size <= 100);
        }

        Assert.True(SpinWait.SpinUntil(() => cache.GetStatistics(CacheTier.Node).Evictions > 0, TimeSpan.FromSeconds(5)));
        var stats = cache.GetStatistics(CacheTier.Node);
        Assert.True(stats.Size <= 100);
        Assert.True(stats.Entries <= 10);
    }

    [Fact]
    public void Set_WithoutSize_UsesSizingDelegateOrEstimate()
    {
        using var estimated = new TieredCache();
        estimated.Set(CacheTier.Node, "bytes", new byte[300]);
        estimated.Set(CacheTier.Node, "text", "abcd");
        estimated.Set(CacheTier.Node, "doubles", new double[10]);
        estimated.Set(CacheTier.Node, "object", new object());
        Assert.Equal(300 + 8 + 80 + 1024, estimated.GetStatistics(CacheTier.Node).Size);

        using var delegated = new TieredCache(new TieredCacheOptions { SizeOf = _ => 7 });
        delegated.Set(CacheTier.Subtree, "x", "anything");
        Assert.Equal(7, delegated.GetStatistics(CacheTier.Subtree).Size);

        using var broken = new TieredCache(new TieredCacheOptions { SizeOf = _ => -1 });
        Assert.Throws<InvalidOperationException>(() => broken.Set(CacheTier.Node, "x", 1));
    }

    [Fact]
    public async Task GetOrCreateAsync_CallsFactoryOnlyOnMiss()
    {
        using var cache = new TieredCache();
        var calls = 0;
        for (var i = 0; i < 3; i++)
        {
            var value = await cache.GetOrCreateAsync(CacheTier.Subtree, "key", 21, (s, _) =>
            {
                calls++;
                return new ValueTask<int>(s * 2);
            });
            Assert.Equal(42, value);
        }

        Assert.Equal(1, calls);
        var stats = cache.GetStatistics(CacheTier.Subtree);
        Assert.Equal(2, stats.Hits);
        Assert.Equal(1, stats.Misses);
    }

    [Fact]
    public void RemoveAndClear_DropEntriesWithoutCountingEvictions()
    {
        using var cache = new TieredCache();
        cache.Set(CacheTier.Node, "a", 1, 1);
        cache.Set(CacheTier.Node, "b", 2, 1);
        cache.Remove(CacheTier.Node, "a");
        Assert.False(cache.TryGetValue<int>(CacheTier.Node, "a", out _));
        cache.Clear(CacheTier.Node);
        Assert.Equal(0, cache.GetStatistics(CacheTier.Node).Entries);
        Assert.Equal(0, cache.GetStatistics(CacheTier.Node).Evictions);
    }

    [Fact]
    public void Metrics_ReportHitsMissesAndSizePerTier()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var collector = new MetricCollector(CoreTelemetry.MeterName, factory);
        using var meter = new CoreInstrumentation(factory);
        using var cache = new TieredCache(null, null, meter);
        cache.Set(CacheTier.Subtree, "k", "v", 64);
        cache.TryGetValue<string>(CacheTier.Subtree, "k", out _);
        cache.TryGetValue<string>(CacheTier.Subtree, "k", out _);
        cache.TryGetValue<string>(CacheTier.Node, "k", out _);

        collector.RecordObservableInstruments();
        static object? TierOf(CollectedMeasurement m) => m.Tags["cosmos.core.cache.tier"];
        Assert.Equal(2, collector.For("cosmos.core.cache.hits").Single(m => (string?)TierOf(m) == "subtree").Value);
        Assert.Equal(1, collector.For("cosmos.core.cache.misses").Single(m => (string?)TierOf(m) == "node").Value);
        Assert.Equal(64, collector.For("cosmos.core.cache.size").Single(m => (string?)TierOf(m) == "subtree").Value);
        Assert.Equal(1, collector.For("cosmos.core.cache.entries").Single(m => (string?)TierOf(m) == "subtree").Value);
        Assert.Equal(3, collector.For("cosmos.core.cache.evictions").Count);
    }

    [Fact]
    public void Constructor_BadOption_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TieredCache(new TieredCacheOptions { Subtree = new CacheTierOptions { TimeToLive = TimeSpan.Zero, SizeLimit = 1 } }));
        Assert.Contains("Subtree.TimeToLive", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TieredCache(new TieredCacheOptions { System = new CacheTierOptions { TimeToLive = TimeSpan.FromSeconds(1), SizeLimit = 0 } }));
        Assert.Contains("System.SizeLimit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Methods_UnknownTierOrNullKey_Throw()
    {
        using var cache = new TieredCache();
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Set((CacheTier)9, "k", 1, 1));
        Assert.Throws<ArgumentNullException>(() => cache.TryGetValue<int>(CacheTier.Node, null!, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Set(CacheTier.Node, "k", 1, -1));
    }
}
