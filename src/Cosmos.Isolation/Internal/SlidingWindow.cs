namespace Cosmos.Isolation.Internal;

/// <summary>A time-based sliding window of call outcomes, split into buckets on <see cref="TimeProvider"/> timestamps.</summary>
/// <remarks>
/// Recording is lock-free (one interlocked increment, two for a bad call); a bucket is cleared under a lock only when time
/// has moved it into a new epoch. A racing writer may count one outcome into the following bucket, never lose it from the
/// totals. Recording into the bucket the previous call used needs no division: the bucket's start timestamp answers
/// whether the timestamp still falls into it.
/// </remarks>
internal sealed class SlidingWindow
{
    private readonly Bucket[] _buckets;
    private readonly long _bucketTicks;
    private readonly Lock _rollGate = new();

    // The index of the bucket the last recorder used. Any index is safe to try: the bucket's own start decides.
    private int _hint;

    // Calls of buckets recycled or reset; written under _rollGate, so lifetime totals never lose an outcome.
    private long _retiredCalls;

    public SlidingWindow(TimeSpan duration, int buckets, long timestampFrequency)
    {
        _buckets = new Bucket[buckets];
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i].Epoch = long.MinValue;
            _buckets[i].Start = long.MinValue;
        }

        // Timestamp units per bucket; at least 1 so the epoch arithmetic never divides by zero.
        var ticks = (double)duration.Ticks / buckets * timestampFrequency / TimeSpan.TicksPerSecond;
        _bucketTicks = Math.Max(1, (long)ticks);
        Duration = duration;
        BucketCount = buckets;
    }

    public TimeSpan Duration { get; }

    public int BucketCount { get; }

    public void Record(long timestamp, bool bad)
    {
        ref var bucket = ref _buckets[_hint];

        // Unsigned: a timestamp before the bucket's start wraps to a huge distance, as does a never-used bucket's start.
        if ((ulong)unchecked(timestamp - Volatile.Read(ref bucket.Start)) >= (ulong)_bucketTicks)
        {
            bucket = ref Locate(timestamp);
        }

        Interlocked.Increment(ref bucket.Calls);
        if (bad)
        {
            Interlocked.Increment(ref bucket.Bad);
        }
    }

    /// <summary>Sums the buckets whose epoch lies within the window ending at <paramref name="timestamp"/>.</summary>
    public (long Calls, long Bad) Read(long timestamp)
    {
        var current = timestamp / _bucketTicks;
        long calls = 0, bad = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            ref var bucket = ref _buckets[i];
            var epoch = Volatile.Read(ref bucket.Epoch);
            if (epoch <= current && epoch > current - _buckets.Length)
            {
                calls += Volatile.Read(ref bucket.Calls);
                bad += Volatile.Read(ref bucket.Bad);
            }
        }

        return (calls, bad);
    }

    /// <summary>Every outcome recorded since the window was created, resets and recycled buckets included.</summary>
    public long LifetimeCalls
    {
        get
        {
            var total = Volatile.Read(ref _retiredCalls);
            for (var i = 0; i < _buckets.Length; i++)
            {
                total += Volatile.Read(ref _buckets[i].Calls);
            }

            return total;
        }
    }

    public void Reset()
    {
        lock (_rollGate)
        {
            for (var i = 0; i < _buckets.Length; i++)
            {
                Volatile.Write(ref _buckets[i].Start, long.MinValue);
                Volatile.Write(ref _buckets[i].Epoch, long.MinValue);
                Retire(ref _buckets[i]);
            }
        }
    }

    // Read-and-clear in one step: an increment racing with the reset lands either in the retired total or in the bucket.
    private void Retire(ref Bucket bucket)
    {
        _retiredCalls += Interlocked.Exchange(ref bucket.Calls, 0);
        Interlocked.Exchange(ref bucket.Bad, 0);
    }

    private ref Bucket Locate(long timestamp)
    {
        var epoch = timestamp / _bucketTicks;
        var index = (int)(epoch % _buckets.Length);
        ref var bucket = ref _buckets[index];
        if (Volatile.Read(ref bucket.Epoch) != epoch)
        {
            Roll(ref bucket, epoch);
        }

        _hint = index;
        return ref bucket;
    }

    private void Roll(ref Bucket bucket, long epoch)
    {
        lock (_rollGate)
        {
            // A late writer with an older timestamp must not wipe a newer bucket; it counts into the newer one.
            if (bucket.Epoch < epoch)
            {
                Retire(ref bucket);
                Volatile.Write(ref bucket.Epoch, epoch);
                Volatile.Write(ref bucket.Start, epoch * _bucketTicks);
            }
        }
    }

    private struct Bucket
    {
        public long Epoch;

        // Epoch × bucket ticks: the first timestamp that falls into the bucket.
        public long Start;
        public long Calls;
        public long Bad;
    }
}
