namespace Cosmos.Isolation.Internal;

/// <summary>The engine's call clock: a <see cref="TimeProvider"/> reading refreshed by a timer every <see cref="Resolution"/>.
/// A call reads it for its start, so a guarded call reads the real clock once (at its end); the nodes' Polly breakers read it
/// for <see cref="GetUtcNow"/>, so they do not read the real clock on every outcome either.</summary>
/// <remarks>
/// <para>Why slow-call detection stays correct. A call starts at real time s and reads the call clock value c: a real reading
/// the clock took before s, so c ≤ s, and at most P + d before s, where P is <see cref="Resolution"/> and d the timer's
/// dispatch delay, so c ≥ s − (P + d). The call ends at e, its one real reading (<see cref="TimeProvider.GetTimestamp"/>).
/// A success is slow when e − c exceeds the threshold T. Hence:</para>
/// <list type="bullet">
/// <item>a success that took longer than T is always counted slow (e − c ≥ e − s > T): slow calls are never missed;</item>
/// <item>a success is counted slow only if it took longer than T − (P + d): the threshold errs early by at most one
/// resolution plus the timer's delay, never late.</item>
/// </list>
/// <para>P is the engine's smallest time scale (the smallest slow-call threshold or break duration of any layer) divided by
/// <see cref="ScaleDivisor"/>: 5 ms for L1's 100 ms default threshold, an error of at most 5 % of the tightest threshold
/// and far less on the others. A call counted slow also moves the clock to its end reading, so a timer delayed by an
/// overloaded thread pool (large d) can mislead only the calls already running, not every later one. With a deterministic
/// <see cref="TimeProvider"/> the timer fires as the test advances time, so the clock is as deterministic as the provider.</para>
/// <para>Why Polly's breaker may read it. The node breakers open on our failure streak (their predicate), not on their health
/// ratio, so they read the time only to date their health windows (an hour, unused) and to time the break: a break lasts
/// its duration to within ± P.</para>
/// <para>Why not read the real clock: <see cref="TimeProvider.GetTimestamp"/> and <see cref="TimeProvider.GetUtcNow"/> cost
/// ≈ 20 ns each on the system provider, more than the rest of the guard's work around Polly's breaker.</para>
/// </remarks>
internal sealed class CallClock : TimeProvider, IDisposable
{
    /// <summary>The resolution is this fraction of the smallest time scale: the error bound above is 1/20 = 5 % of it.</summary>
    internal const int ScaleDivisor = 20;

    // A timer faster than this would cost more than the clock reads it saves.
    private static readonly TimeSpan MinimumResolution = TimeSpan.FromMilliseconds(1);

    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private long _now;
    private long _utcTicks;

    public CallClock(TimeProvider time, TimeSpan smallestScale)
    {
        _time = time;
        _now = time.GetTimestamp();
        _utcTicks = time.GetUtcNow().UtcTicks;
        Resolution = ResolutionFor(smallestScale);
        _timer = time.CreateTimer(static state => ((CallClock)state!).Refresh(), this, Resolution, Resolution);
    }

    /// <summary>How often the clock is refreshed (P).</summary>
    public TimeSpan Resolution { get; private set; }

    /// <summary>A timestamp no later than now and, while the timer keeps time, no earlier than now − <see cref="Resolution"/>.</summary>
    public long Now => Volatile.Read(ref _now);

    /// <inheritdoc/>
    public override long TimestampFrequency => _time.TimestampFrequency;

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => _time.LocalTimeZone;

    /// <summary>The UTC time of the last refresh: no later than now, no earlier than now − <see cref="Resolution"/>.</summary>
    public override DateTimeOffset GetUtcNow() => new(Volatile.Read(ref _utcTicks), TimeSpan.Zero);

    /// <summary>A real reading: whoever asks for a timestamp gets the provider's.</summary>
    public override long GetTimestamp() => _time.GetTimestamp();

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => _time.CreateTimer(callback, state, dueTime, period);

    /// <summary>Publishes a fresher reading taken by a call (off the fast path: only slow calls do).</summary>
    public void Publish(long timestamp) => MoveTo(ref _now, timestamp);

    /// <summary>Follows reloaded thresholds and durations.</summary>
    public void Change(TimeSpan smallestScale)
    {
        var resolution = ResolutionFor(smallestScale);
        if (resolution != Resolution)
        {
            Resolution = resolution;
            Refresh();
            _timer.Change(resolution, resolution);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Refresh()
    {
        MoveTo(ref _now, _time.GetTimestamp());
        MoveTo(ref _utcTicks, _time.GetUtcNow().UtcTicks);
    }

    // Forward only: the timer and slow calls both write, and a writer delayed between its reading and its write must not
    // move the clock back past a fresher reading (that would stretch the error bound). Never on a fast call's path.
    private static void MoveTo(ref long clock, long value)
    {
        var current = Volatile.Read(ref clock);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref clock, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static TimeSpan ResolutionFor(TimeSpan smallestScale)
        => TimeSpan.FromTicks(Math.Max(MinimumResolution.Ticks, smallestScale.Ticks / ScaleDivisor));
}
