using Cosmos.Core;
using Cosmos.Isolation.Internal;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace Cosmos.Isolation.Tests;

/// <summary>The guarded call's clock: one real reading per call, and slow-call detection within the call clock's stated bound
/// (a success slower than the threshold is always slow; one at most the threshold minus one resolution never is).</summary>
public sealed class GuardedCallClockTests
{
    private static readonly TimeSpan Threshold = LayerIsolationOptions.CreateDefault(CosmicLayer.Compound).SlowCallThreshold;

    private static TestHost CreateHost() => new(options =>
    {
        options.MinimumCalls = 1_000; // detection out of the way: these tests are about how one call is judged
        options.AddNode("repo", CosmicLayer.Compound);
    });

    private static TimeSpan Resolution(TestHost host) => ((IsolationEngine)host.Engine).Controller.CallClock.Resolution;

    /// <summary>Lets the call clock fall <paramref name="lag"/> behind (no tick happens within a resolution), then runs one
    /// success that lasts <paramref name="duration"/>; answers whether it was counted slow.</summary>
    private static async Task<bool> CountedSlowAsync(TestHost host, TimeSpan lag, TimeSpan duration)
    {
        host.Time.Advance(lag);
        await host.Engine.GetPipeline("repo").ExecuteAsync(_ =>
        {
            host.Time.Advance(duration);
            return ValueTask.CompletedTask;
        });
        return host.Engine.GetState("repo").SlowCalls switch
        {
            0 => false,
            1 => true,
            var n => throw new InvalidOperationException($"{n} slow calls after one call"),
        };
    }

    [Fact]
    public void CallClock_DefaultOptions_ResolutionIsTheSmallestThresholdOverTheDivisor()
    {
        using var host = CreateHost();
        var smallest = LayerIsolationOptions.CreateDefault(CosmicLayer.Quantum).SlowCallThreshold;
        Assert.Equal(smallest / CallClock.ScaleDivisor, Resolution(host));
        Assert.Equal(TimeSpan.FromMilliseconds(5), Resolution(host));
    }

    [Fact]
    public void CallClock_OptionsReload_ResolutionFollowsTheSmallestTimeScale()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var monitor = new TestOptionsMonitor(Options(threshold: TimeSpan.FromSeconds(2), breakDuration: TimeSpan.FromSeconds(60)));
        using var engine = TestOptionsMonitor.CreateEngine(monitor, time);
        Assert.Equal(TimeSpan.FromMilliseconds(100), engine.Controller.CallClock.Resolution);

        // A break shorter than every threshold sets the scale; slow-call detection off everywhere leaves the breaks alone.
        monitor.Reload(Options(threshold: TimeSpan.FromSeconds(2), breakDuration: TimeSpan.FromMilliseconds(400)));
        Assert.Equal(TimeSpan.FromMilliseconds(20), engine.Controller.CallClock.Resolution);
        monitor.Reload(Options(threshold: Timeout.InfiniteTimeSpan, breakDuration: TimeSpan.FromSeconds(10)));
        Assert.Equal(TimeSpan.FromMilliseconds(500), engine.Controller.CallClock.Resolution);

        static CosmosIsolationOptions Options(TimeSpan threshold, TimeSpan breakDuration)
        {
            var options = new CosmosIsolationOptions { EvaluationInterval = TimeSpan.FromHours(1) };
            options.AddNode("repo", CosmicLayer.Compound);
            foreach (var layer in Enum.GetValues<CosmicLayer>())
            {
                options.Layers[layer] = LayerIsolationOptions.CreateDefault(layer);
                options.Layers[layer].SlowCallThreshold = threshold;
                options.Layers[layer].BreakDuration = breakDuration;
            }

            return options;
        }
    }

    [Fact]
    public async Task ExecuteAsync_FreshClock_ThresholdExactlyIsNotSlowOneTickMoreIs()
    {
        using (var host = CreateHost())
        {
            Assert.False(await CountedSlowAsync(host, TimeSpan.Zero, Threshold));
        }

        using (var host = CreateHost())
        {
            Assert.True(await CountedSlowAsync(host, TimeSpan.Zero, Threshold + TimeSpan.FromTicks(1)));
        }
    }

    [Fact]
    public async Task ExecuteAsync_StaleClockJustOverThreshold_StillSlow()
    {
        using var host = CreateHost();
        var lag = Resolution(host) - TimeSpan.FromTicks(1);
        Assert.True(await CountedSlowAsync(host, lag, Threshold + TimeSpan.FromTicks(1)));
    }

    [Fact]
    public async Task ExecuteAsync_StaleClockThresholdMinusResolution_NotSlow()
    {
        using var host = CreateHost();
        var resolution = Resolution(host);
        Assert.False(await CountedSlowAsync(host, resolution - TimeSpan.FromTicks(1), Threshold - resolution));
    }

    [Fact]
    public async Task ExecuteAsync_StaleClockWithinBound_CountedSlowEarlyByTheLagAtMost()
    {
        // The bound's other side: a stale start makes a success just under the threshold count as slow, by at most the lag.
        using var host = CreateHost();
        var lag = Resolution(host) - TimeSpan.FromTicks(1);
        Assert.True(await CountedSlowAsync(host, lag, Threshold - lag + TimeSpan.FromTicks(1)));
    }

    [Fact]
    public async Task ExecuteAsync_ClockTickBeforeCall_StartIsExactAgain()
    {
        using var host = CreateHost();
        var resolution = Resolution(host);
        host.Time.Advance(resolution * 3); // the timer ticks: the call clock reads now again
        Assert.False(await CountedSlowAsync(host, TimeSpan.Zero, Threshold));
    }

    /// <summary>The law: with the call clock lagging L (0 ≤ L &lt; P), a success lasting D is counted slow exactly when
    /// D + L > T. Hence D > T always counts slow, and D ≤ T − P never does.</summary>
    [Property(MaxTest = 60, Replay = "(17,29)")]
    public Property ExecuteAsync_AnyLagWithinResolution_SlowExactlyWhenDurationPlusLagExceedsThreshold()
    {
        var resolutionTicks = TimeSpan.FromMilliseconds(5).Ticks;
        var cases = from lag in Gen.Choose(0, (int)resolutionTicks - 1)
                    from delta in Gen.Choose((int)(-2 * resolutionTicks), (int)(2 * resolutionTicks))
                    select (Lag: lag, Delta: delta);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            using var host = CreateHost();
            var lag = TimeSpan.FromTicks(c.Lag);
            var duration = Threshold + TimeSpan.FromTicks(c.Delta);
            var slow = CountedSlowAsync(host, lag, duration).GetAwaiter().GetResult();
            var never = duration <= Threshold - Resolution(host) && slow;
            var missed = duration > Threshold && !slow;
            return slow == (duration + lag > Threshold) && !never && !missed;
        });
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task ExecuteAsync_HealthyNode_ReadsTheTimestampOncePerCallAndNoUtcTime(bool slowCallDetectionOff, bool typed)
    {
        var time = new CountingTimeProvider(new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)));
        var options = new CosmosIsolationOptions { EvaluationInterval = TimeSpan.FromHours(1) };
        options.AddNode("repo", CosmicLayer.Compound);
        if (slowCallDetectionOff)
        {
            options.Layers[CosmicLayer.Compound] = LayerIsolationOptions.CreateDefault(CosmicLayer.Compound);
            options.Layers[CosmicLayer.Compound].SlowCallThreshold = Timeout.InfiniteTimeSpan;
        }

        using var engine = TestOptionsMonitor.CreateEngine(new TestOptionsMonitor(options), time);
        var untyped = engine.GetPipeline("repo");
        var typedPipeline = engine.GetPipeline<int>("repo");
        const int Calls = 100;
        time.Reset();
        for (var i = 0; i < Calls; i++)
        {
            var result = typed
                ? await typedPipeline.ExecuteAsync(static (state, _) => ValueTask.FromResult(state), i)
                : await untyped.ExecuteAsync(static (state, _) => ValueTask.FromResult(state), i);
            Assert.Equal(i, result);
        }

        Assert.Equal((Calls, 0), (time.Timestamps, time.UtcReadings));
        Assert.Equal(Calls, engine.GetState("repo").Successes);
    }

    [Fact]
    public async Task ExecuteAsync_CallThatCompletesAsynchronously_ReadsTheTimestampOnce()
    {
        var time = new CountingTimeProvider(new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)));
        var options = new CosmosIsolationOptions { EvaluationInterval = TimeSpan.FromHours(1) };
        options.AddNode("repo", CosmicLayer.Compound);
        using var engine = TestOptionsMonitor.CreateEngine(new TestOptionsMonitor(options), time);
        var pipeline = engine.GetPipeline("repo");
        time.Reset();
        await pipeline.ExecuteAsync(static async _ => await Task.Yield());
        Assert.Equal((1, 0), (time.Timestamps, time.UtcReadings));
    }

    /// <summary>Counts the clock readings the engine and its breakers make.</summary>
    private sealed class CountingTimeProvider(TimeProvider inner) : TimeProvider
    {
        private int _timestamps;
        private int _utcReadings;

        public int Timestamps => Volatile.Read(ref _timestamps);

        public int UtcReadings => Volatile.Read(ref _utcReadings);

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

        public void Reset()
        {
            Volatile.Write(ref _timestamps, 0);
            Volatile.Write(ref _utcReadings, 0);
        }

        public override long GetTimestamp()
        {
            Interlocked.Increment(ref _timestamps);
            return inner.GetTimestamp();
        }

        public override DateTimeOffset GetUtcNow()
        {
            Interlocked.Increment(ref _utcReadings);
            return inner.GetUtcNow();
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
            => inner.CreateTimer(callback, state, dueTime, period);
    }
}
