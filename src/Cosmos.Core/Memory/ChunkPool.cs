using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Cosmos.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cosmos.Core.Memory;

/// <summary>A bounded, thread-safe pool of fixed-size byte chunks with O(1) rent and return.</summary>
/// <remarks>
/// <para>Free chunks sit on a lock-free stack of indexes whose head packs the top index, the free count and an ABA
/// tag into one 64-bit word. In front of it, each thread keeps the one chunk it returned last
/// (<see cref="ChunkPoolOptions.ThreadCache"/>), so a rent that follows a return on the same thread touches no shared
/// memory and runs no interlocked instruction; only the return's double-return check is atomic.</para>
/// <para>Each chunk's state records which rental (generation) currently holds it, and a return swaps it atomically, so
/// returning a chunk twice (even from two threads at once), returning an old handle after the chunk was rented again,
/// or returning a handle from another pool throws instead of corrupting the pool. Rent and return allocate nothing once
/// a chunk's buffer exists.</para>
/// <para>When no chunk is free, <see cref="TryRent"/> returns <see langword="false"/> and <see cref="Rent"/>
/// throws <see cref="InvalidOperationException"/>; both count a miss. The pool never allocates beyond
/// <see cref="ChunkPoolOptions.ChunkCount"/> chunks. With the thread cache on, a chunk another live thread keeps in its
/// cache (at most one per thread) is not taken, so a rent can miss while that many chunks are parked; chunks parked by
/// threads that have exited are reclaimed before a miss is reported.</para>
/// <para>Under memory pressure (GC memory load ≥ <see cref="ChunkPoolOptions.TrimMemoryLoadThreshold"/>, checked every
/// <see cref="ChunkPoolOptions.PressureCheckInterval"/> on the injected <see cref="TimeProvider"/>) the pool releases
/// the buffers of free chunks only; a released chunk gets a new buffer on its next rent. Rented chunks are never touched.</para>
/// </remarks>
public sealed partial class ChunkPool : IDisposable
{
    private const int IndexBits = 22;
    private const int CountBits = 22;
    private const ulong IndexMask = (1UL << IndexBits) - 1;
    private const ulong CountMask = (1UL << CountBits) - 1;
    private const int TagShift = IndexBits + CountBits;

    private readonly byte[]?[] _buffers;
    private readonly int[] _next;
    private readonly int[] _state;
    private readonly int _chunkSize;
    private readonly int _chunkCount;
    private readonly double _trimThreshold;
    private readonly Func<double> _memoryLoad;
    private readonly ITimer? _pressureTimer;
    private readonly Lock _trimLock = new();
    private readonly int[] _trimScratch;
    private readonly bool _threadCache;
    private readonly ILogger _logger;
    private ulong _head;
    private int _minFree;
    private long _misses;
    private int _allocated;
    private long _trimmed;
    private int _trimming;

    /// <summary>Creates a pool with the given settings.</summary>
    /// <param name="options">The pool settings; the defaults (1024 B × 1000) when <see langword="null"/>. Read once.</param>
    /// <param name="timeProvider">Drives the periodic memory-pressure check; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public ChunkPool(ChunkPoolOptions? options = null, TimeProvider? timeProvider = null)
        : this(options, timeProvider, null, null, null)
    {
    }

    internal ChunkPool(ChunkPoolOptions? options, TimeProvider? timeProvider, CoreInstrumentation? instrumentation, ILogger? logger, Func<double>? memoryLoad)
    {
        options ??= new ChunkPoolOptions();
        var validation = new ChunkPoolOptionsValidator().Validate(nameof(ChunkPoolOptions), options);
        if (validation.Failed)
        {
            throw new ArgumentOutOfRangeException(nameof(options), validation.FailureMessage);
        }

        _logger = logger ?? NullLogger.Instance;

        _threadCache = options.ThreadCache;
        _chunkSize = options.ChunkSize;
        _chunkCount = options.ChunkCount;
        _trimThreshold = options.TrimMemoryLoadThreshold;
        _memoryLoad = memoryLoad ?? CurrentMemoryLoad;
        _buffers = new byte[]?[_chunkCount];
        _next = new int[_chunkCount];
        _state = new int[_chunkCount];
        _trimScratch = new int[_chunkCount];

        // Chain 0 -> 1 -> ... so the first rents hand out chunks in index order; the stack stores index + 1, 0 is the end.
        for (var i = 0; i < _chunkCount; i++)
        {
            _next[i] = i + 1 < _chunkCount ? i + 2 : 0;
            if (options.Preallocate)
            {
                _buffers[i] = GC.AllocateUninitializedArray<byte>(_chunkSize, pinned: true);
            }
        }

        _allocated = options.Preallocate ? _chunkCount : 0;
        _head = 1UL | ((ulong)_chunkCount << IndexBits);
        _minFree = _chunkCount;

        if (options.PressureCheckInterval > TimeSpan.Zero)
        {
            _pressureTimer = (timeProvider ?? TimeProvider.System).CreateTimer(
                static state => ((ChunkPool)state!).TrimIfUnderPressure(), this, options.PressureCheckInterval, options.PressureCheckInterval);
        }

        if (instrumentation is not null)
        {
            var m = instrumentation.Meter;
            m.CreateObservableUpDownCounter(CoreTelemetry.PoolRented, () => GetStatistics().Rented, "{chunk}", "Chunks currently rented from the pool.");
            m.CreateObservableUpDownCounter(CoreTelemetry.PoolAvailable, () => GetStatistics().Available, "{chunk}", "Chunks currently free in the pool.");
            m.CreateObservableCounter(CoreTelemetry.PoolMisses, () => Interlocked.Read(ref _misses), "{miss}", "Rent attempts that found the pool exhausted.");
            m.CreateObservableUpDownCounter(CoreTelemetry.PoolAllocated, () => (long)Volatile.Read(ref _allocated) * _chunkSize, "By", "Bytes of chunk buffers currently allocated.");
            m.CreateObservableCounter(CoreTelemetry.PoolTrimmed, () => Interlocked.Read(ref _trimmed), "{chunk}", "Free chunk buffers released under memory pressure.");
        }
    }

    /// <summary>Gets the size of every chunk in bytes.</summary>
    public int ChunkSize => _chunkSize;

    /// <summary>Gets the number of chunks the pool holds.</summary>
    public int ChunkCount => _chunkCount;

    /// <summary>Rents a chunk, or fails without throwing when every chunk is rented.</summary>
    /// <param name="chunk">The rented chunk, or the default value when the pool is exhausted.</param>
    /// <returns><see langword="true"/> when a chunk was rented; <see langword="false"/> when the pool is exhausted (counted as a miss).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRent(out PooledChunk chunk)
    {
        var index = _threadCache ? TakeParked() : -1;
        if (index < 0)
        {
            index = Pop();
            if (index < 0)
            {
                index = RentSlow();
                if (index < 0)
                {
                    chunk = default;
                    return false;
                }
            }
        }

        // The index came off the stack, so this thread owns the chunk until it is pushed back.
        var generation = -_state[index] + 1;
        if (generation <= 0)
        {
            generation = 1;
        }

        Volatile.Write(ref _state[index], generation);
        var buffer = _buffers[index] ?? AllocateBuffer(index);
        chunk = new PooledChunk(this, buffer, index, generation);
        return true;
    }

    /// <summary>Rents a chunk.</summary>
    /// <returns>The rented chunk.</returns>
    /// <exception cref="InvalidOperationException">Every chunk is rented (counted as a miss); use <see cref="TryRent"/> to test without throwing.</exception>
    public PooledChunk Rent() =>
        TryRent(out var chunk)
            ? chunk
            : throw new InvalidOperationException($"The chunk pool is exhausted: all {_chunkCount} chunks of {_chunkSize} bytes are rented.");

    /// <summary>Returns a rented chunk to the pool.</summary>
    /// <param name="chunk">The chunk handle obtained from <see cref="Rent"/> or <see cref="TryRent"/> on this pool.</param>
    /// <exception cref="ArgumentException"><paramref name="chunk"/> is the default value or was rented from another pool.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="chunk"/> was already returned (or this is a stale handle of an earlier rental).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Return(PooledChunk chunk)
    {
        if (!ReferenceEquals(chunk.Pool, this) || chunk.Buffer is null)
        {
            ThrowForeign(chunk);
        }

        var index = chunk.Index;
        if (Interlocked.CompareExchange(ref _state[index], -chunk.Generation, chunk.Generation) != chunk.Generation)
        {
            ThrowAlreadyReturned(index);
        }

        if (!_threadCache || !TryPark(index))
        {
            Push(index);
        }
    }

    /// <summary>Gets a snapshot of the pool's counters.</summary>
    /// <returns>The statistics; counters are read without a lock, so under concurrent use they are individually, not jointly, exact.</returns>
    public ChunkPoolStatistics GetStatistics()
    {
        var available = (int)((Volatile.Read(ref _head) >> IndexBits) & CountMask) + CountParked();
        return new ChunkPoolStatistics(
            _chunkSize,
            _chunkCount,
            _chunkCount - available,
            available,
            _chunkCount - Volatile.Read(ref _minFree),
            Interlocked.Read(ref _misses),
            Volatile.Read(ref _allocated),
            Interlocked.Read(ref _trimmed));
    }

    /// <summary>Releases the buffers of free chunks when the GC memory load is at or above the configured threshold.</summary>
    /// <returns>The number of chunk buffers released.</returns>
    public int TrimIfUnderPressure()
    {
        var load = _memoryLoad();
        if (load < _trimThreshold)
        {
            return 0;
        }

        var released = Trim();
        Log.ChunkPoolTrimmed(_logger, released, load);
        return released;
    }

    /// <summary>Releases the buffers of all free chunks now; rented chunks are not touched.</summary>
    /// <returns>The number of chunk buffers released.</returns>
    public int Trim()
    {
        using var activity = CoreInstrumentation.ActivitySource.StartActivity(CoreTelemetry.PoolTrimSpan);

        // The calling thread's parked chunk and those of exited threads are free chunks like any other; live threads
        // keep theirs (at most one each) with its buffer.
        UnparkOwnAndExited();
        lock (_trimLock)
        {
            // Take every free chunk off the stack so no renter can hold one while its buffer is dropped;
            // renters that find the stack empty meanwhile wait for the trim instead of reporting a miss.
            Volatile.Write(ref _trimming, 1);
            var taken = 0;
            var released = 0;
            try
            {
                int index;
                while ((index = Pop()) >= 0)
                {
                    _trimScratch[taken++] = index;
                    if (_buffers[index] is not null)
                    {
                        _buffers[index] = null;
                        released++;
                    }
                }
            }
            finally
            {
                for (var i = 0; i < taken; i++)
                {
                    Push(_trimScratch[i]);
                }

                Volatile.Write(ref _trimming, 0);
            }

            Interlocked.Add(ref _allocated, -released);
            Interlocked.Add(ref _trimmed, released);
            activity?.SetTag(CoreTelemetry.PoolReleasedTag, released);
            return released;
        }
    }

    /// <summary>Stops the periodic memory-pressure check. Rented chunks stay usable; the pool keeps working.</summary>
    public void Dispose() => _pressureTimer?.Dispose();

    private static double CurrentMemoryLoad()
    {
        var info = GC.GetGCMemoryInfo();
        return info.TotalAvailableMemoryBytes > 0 ? (double)info.MemoryLoadBytes / info.TotalAvailableMemoryBytes : 0;
    }

    // Throws live out of line so that Rent and Return stay small enough to inline into the caller.
    [DoesNotReturn]
    private static void ThrowForeign(PooledChunk chunk) => throw new ArgumentException(
        chunk.Pool is null ? "The chunk is not a rented chunk (default value)." : "The chunk was rented from a different pool.",
        nameof(chunk));

    [DoesNotReturn]
    private static void ThrowAlreadyReturned(int index)
        => throw new InvalidOperationException($"Chunk {index} was already returned to the pool; a chunk must be returned exactly once per rent.");

    private int RentSlow()
    {
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _trimming) != 0)
        {
            spinner.SpinOnce();
        }

        var index = Pop();
        if (index < 0 && _threadCache && UnparkOwnAndExited() > 0)
        {
            index = Pop();
        }

        if (index < 0)
        {
            Interlocked.Increment(ref _misses);
        }

        return index;
    }

    private byte[] AllocateBuffer(int index)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(_chunkSize, pinned: true);
        _buffers[index] = buffer;
        Interlocked.Increment(ref _allocated);
        return buffer;
    }

    private int Pop()
    {
        while (true)
        {
            var head = Volatile.Read(ref _head);
            var top = (int)(head & IndexMask);
            if (top == 0)
            {
                return -1;
            }

            var index = top - 1;
            var next = (ulong)Volatile.Read(ref _next[index]);
            var free = ((head >> IndexBits) & CountMask) - 1;
            var tag = (head >> TagShift) + 1;
            var updated = next | (free << IndexBits) | (tag << TagShift);
            if (Interlocked.CompareExchange(ref _head, updated, head) == head)
            {
                var freeNow = (int)free;
                var min = Volatile.Read(ref _minFree);
                while (freeNow < min)
                {
                    var seen = Interlocked.CompareExchange(ref _minFree, freeNow, min);
                    if (seen == min)
                    {
                        break;
                    }

                    min = seen;
                }

                return index;
            }
        }
    }

    private void Push(int index)
    {
        while (true)
        {
            var head = Volatile.Read(ref _head);
            _next[index] = (int)(head & IndexMask);
            var free = ((head >> IndexBits) & CountMask) + 1;
            var tag = (head >> TagShift) + 1;
            var updated = (uint)(index + 1) | (free << IndexBits) | (tag << TagShift);
            if (Interlocked.CompareExchange(ref _head, updated, head) == head)
            {
                return;
            }
        }
    }
}
