namespace Cosmos.Isolation.Internal;

/// <summary>A time-based sliding window of call outcomes, split into buckets on <see cref="TimeProvider"/> timestamps.</summary>
/// <remarks>
/// Recording is lock-free (two interlocked increments); a bucket is cleared under a lock only when time has moved it
/// into a new epoch. A racing writer may count one outcome into the following bucket, never lose it from the totals.
/// </remarks>
internal sealed class SlidingWindow
{
    private readonly Bucket[] _buckets;
    private readonly long _bucketTicks;
    private readonly Lock _rollGate = new();

    public SlidingWindow(TimeSpan duration, int buckets, long timestampFrequency)
    {
        _buckets = new Bucket[buckets];
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i].Epoch = long.MinValue;
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
        var epoch = timestamp / _bucketTicks;
        ref var bucket = ref _buckets[(int)(epoch % _buckets.Length)];
        if (Volatile.Read(ref bucket.Epoch) != epoch)
        {
            Roll(ref bucket, epoch);
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

    public void Reset()
    {
        lock (_rollGate)
        {
            for (var i = 0; i < _buckets.Length; i++)
            {
                Volatile.Write(ref _buckets[i].Epoch, long.MinValue);
                Volatile.Write(ref _buckets[i].Calls, 0);
                Volatile.Write(ref _buckets[i].Bad, 0);
            }
        }
    }

    private void Roll(ref Bucket bucket, long epoch)
    {
        lock (_rollGate)
        {
            // A late writer with an older timestamp must not wipe a newer bucket; it counts into the newer one.
            if (bucket.Epoch < epoch)
            {
                Volatile.Write(ref bucket.Calls, 0);
                Volatile.Write(ref bucket.Bad, 0);
                Volatile.Write(ref bucket.Epoch, epoch);
            }
        }
    }

    private struct Bucket
    {
        public long Epoch;
        public long Calls;
        public long Bad;
    }
}
