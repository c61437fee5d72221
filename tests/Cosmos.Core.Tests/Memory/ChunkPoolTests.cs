using System.Diagnostics.Metrics;
using Cosmos.Core.Memory;
using Cosmos.Core.Telemetry;
using Cosmos.TestUtils;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Core.Tests.Memory;

public class ChunkPoolTests
{
    [Fact]
    public void Rent_Defaults_Hands1024ByteChunks()
    {
        using var pool = new ChunkPool();
        var chunk = pool.Rent();
        Assert.Equal(1024, chunk.Length);
        Assert.Equal(1024, chunk.Memory.Length);
        Assert.Equal(1000, pool.ChunkCount);
        pool.Return(chunk);
    }

    [Fact]
    public void TryRent_Exhausted_ReturnsFalseAndCountsMiss()
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 2, ChunkSize = 8 });
        Assert.True(pool.TryRent(out var a));
        Assert.True(pool.TryRent(out var b));
        Assert.False(pool.TryRent(out var none));
        Assert.Equal(default, none);
        Assert.NotEqual(a.Index, b.Index);

        var stats = pool.GetStatistics();
        Assert.Equal(new ChunkPoolStatistics(8, 2, Rented: 2, Available: 0, PeakRented: 2, Misses: 1, AllocatedChunks: 2, TrimmedChunks: 0), stats);

        pool.Return(a);
        Assert.True(pool.TryRent(out var again));
        Assert.Equal(a.Index, again.Index);
    }

    [Fact]
    public void Rent_Exhausted_ThrowsInvalidOperation()
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 1 });
        pool.Rent();
        var ex = Assert.Throws<InvalidOperationException>(() => pool.Rent());
        Assert.Contains("exhausted", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, pool.GetStatistics().Misses);
    }

    [Fact]
    public void Return_Twice_ThrowsInvalidOperation()
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 4 });
        var chunk = pool.Rent();
        pool.Return(chunk);
        var ex = Assert.Throws<InvalidOperationException>(() => pool.Return(chunk));
        Assert.Contains("already returned", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, pool.GetStatistics().Available);
    }

    [Fact]
    public void Return_StaleHandleAfterChunkWasRentedAgain_ThrowsAndKeepsNewRental()
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 1 });
        var first = pool.Rent();
        pool.Return(first);
        var second = pool.Rent();
        Assert.Equal(first.Index, second.Index);
        Assert.NotEqual(first, second);

        Assert.Throws<InvalidOperationException>(() => pool.Return(first));
        Assert.False(pool.TryRent(out _));
        pool.Return(second);
        Assert.True(pool.TryRent(out _));
    }

    [Fact]
    public void Return_ChunkFromAnotherPoolOrDefault_ThrowsArgument()
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 2 });
        using var other = new ChunkPool(new ChunkPoolOptions { ChunkCount = 2 });
        var foreign = other.Rent();

        var ex = Assert.Throws<ArgumentException>(() => pool.Return(foreign));
        Assert.Equal("chunk", ex.ParamName);
        Assert.Contains("different pool", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => pool.Return(default));
        Assert.Equal(2, pool.GetStatistics().Available);
        other.Return(foreign);
    }

    [Fact]
    public void GetStatistics_AfterMixedUse_AddsUp()
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 10, Preallocate = false });
        var chunks = Enumerable.Range(0, 7).Select(_ => pool.Rent()).ToList();
        foreach (var chunk in chunks.Take(4))
        {
            pool.Return(chunk);
        }

        var stats = pool.GetStatistics();
        Assert.Equal(3, stats.Rented);
        Assert.Equal(7, stats.Available);
        Assert.Equal(stats.ChunkCount, stats.Rented + stats.Available);
        Assert.Equal(7, stats.PeakRented);
        Assert.Equal(7, stats.AllocatedChunks);
        Assert.Equal(0, stats.Misses);
    }

    [Fact]
    public void RentAndReturn_ConcurrentThreads_NeverHandOutAChunkTwice()
    {
        const int threads = 4;
        const int iterations = 500_000;
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 6, ChunkSize = 16 });
        var owners = new int[pool.ChunkCount];
        var violations = 0;
        var misses = 0L;

        var workers = Enumerable.Range(1, threads).Select(id => new Thread(() =>
        {
            var mine = new PooledChunk[2];
            for (var i = 0; i < iterations; i++)
            {
                var count = 0;
                for (var k = 0; k < mine.Length; k++)
                {
                    if (!pool.TryRent(out var chunk))
                    {
                        Interlocked.Increment(ref misses);
                        continue;
                    }

                    if (Interlocked.CompareExchange(ref owners[chunk.Index], id, 0) != 0)
                    {
                        Interlocked.Increment(ref violations);
                    }

                    chunk.Span.Fill((byte)id);
                    mine[count++] = chunk;
                }

                for (var k = 0; k < count; k++)
                {
                    var chunk = mine[k];
                    if (chunk.Span.IndexOfAnyExcept((byte)id) >= 0 || Interlocked.CompareExchange(ref owners[chunk.Index], 0, id) != id)
                    {
                        Interlocked.Increment(ref violations);
                    }

                    pool.Return(chunk);
                }
            }
        })).ToList();

        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());

        Assert.Equal(0, violations);
        var stats = pool.GetStatistics();
        Assert.Equal(0, stats.Rented);
        Assert.Equal(6, stats.Available);
        Assert.Equal(misses, stats.Misses);
        Assert.True(stats.PeakRented <= 6);
    }

    [Fact]
    public void RentAndReturn_AfterWarmUp_AllocateNothing()
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 4 });
        pool.Return(pool.Rent());
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            var chunk = pool.Rent();
            pool.Return(chunk);
            _ = pool.TryRent(out chunk);
            pool.Return(chunk);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void TrimIfUnderPressure_BelowThreshold_KeepsBuffers()
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 5 }, null, null, null, () => 0.79);
        Assert.Equal(0, pool.TrimIfUnderPressure());
        Assert.Equal(5, pool.GetStatistics().AllocatedChunks);
    }

    [Fact]
    public void TrimIfUnderPressure_AtThreshold_ReleasesOnlyFreeChunks()
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 5, ChunkSize = 4 }, null, null, null, () => 0.8);
        var held = pool.Rent();
        held.Span.Fill(7);

        Assert.Equal(4, pool.TrimIfUnderPressure());
        var stats = pool.GetStatistics();
        Assert.Equal(1, stats.AllocatedChunks);
        Assert.Equal(4, stats.TrimmedChunks);
        Assert.Equal(4, stats.Available);
        Assert.All(held.Span.ToArray(), b => Assert.Equal(7, b));

        // A trimmed chunk gets a fresh buffer on its next rent.
        var fresh = pool.Rent();
        Assert.Equal(4, fresh.Length);
        Assert.Equal(2, pool.GetStatistics().AllocatedChunks);
        Assert.Equal(0, pool.Trim());
        pool.Return(held);
        pool.Return(fresh);
        Assert.Equal(2, pool.Trim());
    }

    [Fact]
    public void PressureTimer_OnManualClock_TrimsWhenDue()
    {
        var time = new FakeTimeProvider();
        var load = 0.5;
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 3, PressureCheckInterval = TimeSpan.FromSeconds(10) }, time, null, null, () => load);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, pool.GetStatistics().AllocatedChunks);

        load = 0.95;
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(3, pool.GetStatistics().AllocatedChunks);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, pool.GetStatistics().AllocatedChunks);
    }

    [Fact]
    public void Metrics_ReportPoolCounters()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var collector = new MetricCollector(CoreTelemetry.MeterName, factory);
        using var meter = new CoreInstrumentation(factory);
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 3, ChunkSize = 10 }, null, meter, null, () => 0);
        pool.Rent();
        pool.Rent();
        pool.Rent();
        pool.TryRent(out _);

        collector.RecordObservableInstruments();
        Assert.Equal(3, collector.For("cosmos.core.pool.rented")[^1].Value);
        Assert.Equal(0, collector.For("cosmos.core.pool.available")[^1].Value);
        Assert.Equal(1, collector.For("cosmos.core.pool.misses")[^1].Value);
        Assert.Equal(30, collector.For("cosmos.core.pool.allocated")[^1].Value);
    }

    [Theory]
    [InlineData(0, 10, 0.8, "ChunkSize")]
    [InlineData(16, 0, 0.8, "ChunkCount")]
    [InlineData(16, ChunkPoolOptions.MaxChunkCount + 1, 0.8, "ChunkCount")]
    [InlineData(16, 10, 0.0, "TrimMemoryLoadThreshold")]
    [InlineData(16, 10, 1.5, "TrimMemoryLoadThreshold")]
    [InlineData(16, 10, double.NaN, "TrimMemoryLoadThreshold")]
    public void Constructor_BadOption_ThrowsNamingIt(int size, int count, double threshold, string option)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkPool(new ChunkPoolOptions { ChunkSize = size, ChunkCount = count, TrimMemoryLoadThreshold = threshold }));
        Assert.Contains(option, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rent_AfterReturnOnSameThread_GetsTheParkedChunkAndCountsItAvailable()
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 3 });
        var first = pool.Rent();
        pool.Return(first);
        Assert.Equal(3, pool.GetStatistics().Available);
        Assert.Equal(0, pool.GetStatistics().Rented);

        var again = pool.Rent();
        Assert.Equal(first.Index, again.Index);
        Assert.NotEqual(first, again); // a new rental of the same chunk
        Assert.Throws<InvalidOperationException>(() => pool.Return(first));
        pool.Return(again);
    }

    [Fact]
    public void TryRent_ChunkParkedByExitedThread_IsReclaimedInsteadOfMiss()
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 1 });
        var worker = new Thread(() => pool.Return(pool.Rent()));
        worker.Start();
        worker.Join();

        Assert.True(pool.TryRent(out var chunk));
        Assert.Equal(0, pool.GetStatistics().Misses);
        pool.Return(chunk);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void TryRent_ChunkParkedByLiveThread_TakenOnlyWithoutThreadCache(bool threadCache, bool expectRented)
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 1, ThreadCache = threadCache });
        using var parked = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var worker = new Thread(() =>
        {
            pool.Return(pool.Rent());
            parked.Set();
            release.Wait();
        });
        worker.Start();
        parked.Wait();
        try
        {
            Assert.Equal(1, pool.GetStatistics().Available);
            Assert.Equal(expectRented, pool.TryRent(out var chunk));
            Assert.Equal(expectRented ? 0 : 1, pool.GetStatistics().Misses);
            if (expectRented)
            {
                pool.Return(chunk);
            }
        }
        finally
        {
            release.Set();
            worker.Join();
        }

        // Once the worker has exited its parked chunk comes back.
        Assert.True(pool.TryRent(out var after));
        pool.Return(after);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Return_SameChunkFromTwoThreadsAtOnce_ExactlyOneSucceeds(bool threadCache)
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 2, ThreadCache = threadCache });
        using var barrier = new Barrier(2);
        for (var round = 0; round < 200; round++)
        {
            var chunk = pool.Rent();
            var failures = 0;
            var threads = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
            {
                barrier.SignalAndWait();
                try
                {
                    pool.Return(chunk);
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref failures);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Equal(1, failures);
        }

        // Nothing was handed out twice: both chunks can be rented, and no third.
        Assert.True(pool.TryRent(out var a));
        Assert.True(pool.TryRent(out var b));
        Assert.NotEqual(a.Index, b.Index);
        Assert.False(pool.TryRent(out _));
    }
}
