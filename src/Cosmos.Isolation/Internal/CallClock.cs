namespace Cosmos.Isolation.Internal;

/// <summary>The engine's call clock: a <see cref="TimeProvider"/> timestamp refreshed by a timer every
/// <see cref="Resolution"/>, read by a call for its start so that a call reads the real clock only once (at its end).</summary>
/// <remarks>
/// <para>Why it is correct. A call starts at real time s and reads the call clock value c, the timestamp of the last tick
/// (or of a stale-clock refresh, below); it ends at real time e = <see cref="TimeProvider.GetTimestamp"/>. c is a reading the
/// clock made before s, so c ≤ s, and the clock was refreshed at most P + d before s, where P is <see cref="Resolution"/> and
/// d the timer's dispatch delay, so c ≥ s − (P + d). A success is slow when e − c exceeds the threshold T. Hence:</para>
/// <list type="bullet">
/// <item>a success that took longer than T is always counted slow (e − c ≥ e − s > T): slow calls are never missed;</item>
/// <item>a success is counted slow only if it took longer than T − (P + d): the threshold errs early by at most one
/// resolution plus the timer's delay, never late.</item>
/// </list>
/// <para>P is the smallest slow-call threshold of any layer divided by <see cref="ThresholdDivisor"/> (5 ms for L1's 100 ms
/// default): the error is at most 5 % of the tightest threshold, and far less on the others. A call that is counted slow
/// also writes its end reading into the clock, so a timer delayed by an overloaded thread pool (large d) costs at most the
/// calls already running, not every later call. With a deterministic <see cref="TimeProvider"/> the timer fires when the
/// test advances time, so the clock is as deterministic as the provider.</para>
/// <para>Why not two readings: <see cref="TimeProvider.GetTimestamp"/> is a virtual call and a clock read (≈ 20 ns on the
/// system provider); a guarded call on a healthy node is otherwise ~30 ns above Polly's breaker pipeline alone.</para>
/// </remarks>
internal sealed class CallClock : IDisposable
{
    /// <summary>The resolution is this fraction of the smallest slow-call threshold: the bound above is 1/20 = 5 % of it.</summary>
    internal const int ThresholdDivisor = 20;

    // A timer faster than this would cost more than the clock reads it saves.
    private static readonly TimeSpan MinimumResolution = TimeSpan.FromMilliseconds(1);

    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private long _now;

    public CallClock(TimeProvider time, TimeSpan smallestThreshold)
    {
        _time = time;
        _now = time.GetTimestamp();
        Resolution = ResolutionFor(smallestThreshold);
        _timer = time.CreateTimer(static state => ((CallClock)state!).Refresh(), this, Resolution, Resolution);
    }

    /// <summary>How often the clock is refreshed (P); <see cref="Timeout.InfiniteTimeSpan"/> when no layer detects slow calls.</summary>
    public TimeSpan Resolution { get; private set; }

    /// <summary>A timestamp no later than now and, while the timer keeps time, no earlier than now − <see cref="Resolution"/>.</summary>
    public long Now => Volatile.Read(ref _now);

    /// <summary>Publishes a fresher reading taken by a call (off the fast path: only slow calls do).</summary>
    public void Publish(long timestamp) => MoveTo(timestamp);
    /// <summary>Follows reloaded thresholds.</summary>
    public void Change(TimeSpan smallestThreshold)
    {
        var resolution = ResolutionFor(smallestThreshold);
        if (resolution != Resolution)
        {
            Resolution = resolution;
            Refresh();
            _timer.Change(resolution, resolution);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Refresh() => MoveTo(_time.GetTimestamp());

    // Forward only: the timer and slow calls both write, and a writer delayed between its reading and its write must not
    // move the clock back past a fresher reading (that would stretch the error bound). Never on a fast call's path.
    private void MoveTo(long timestamp)
    {
        var current = Volatile.Read(ref _now);
        while (timestamp > current)
        {
            var seen = Interlocked.CompareExchange(ref _now, timestamp, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static TimeSpan ResolutionFor(TimeSpan smallestThreshold)
        => smallestThreshold == Timeout.InfiniteTimeSpan
            ? Timeout.InfiniteTimeSpan
            : TimeSpan.FromTicks(Math.Max(MinimumResolution.Ticks, smallestThreshold.Ticks / ThresholdDivisor));
}
