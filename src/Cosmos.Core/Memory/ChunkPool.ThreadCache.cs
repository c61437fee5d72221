using System.Runtime.CompilerServices;

namespace Cosmos.Core.Memory;

// The per-thread cache in front of the shared stack.
//
// Why: a rent and a return on the shared stack are two compare-and-swaps on one shared word, plus the return's
// generation swap; ArrayPool<byte>.Shared is faster because its first tier is a [ThreadStatic] slot that a thread reads
// and writes with plain loads and stores. The same slot works for a bounded pool, with two changes:
//  - ArrayPool may drop or allocate arrays freely; a bounded pool must never lose a chunk. A slot's chunk still belongs
//    to the pool, so slots are registered, a thread that has exited gives its chunk back (reclaimed before a miss is
//    reported and on every trim) and statistics count parked chunks as available.
//  - A live thread's slot is never taken from by another thread: taking would need an atomic on the owner's fast
//    path too, which is the cost the slot exists to avoid. So at most one chunk per live thread can be parked while
//    another thread misses; ChunkPoolOptions.ThreadCache = false restores the strict "miss only when every chunk is
//    rented" rule at the price measured in benchmarks/README.md.
// Double-return detection is untouched: Return still swaps the chunk's generation atomically before parking it.
public sealed partial class ChunkPool
{
    // One slot per thread, shared by every pool: it holds the chunk this thread returned last, for whichever pool.
    [ThreadStatic]
    private static ThreadSlot? t_slot;

    // Every slot in use, so chunks parked by exited threads can be reclaimed and parked chunks counted.
    private static readonly List<ThreadSlot> Slots = [];
    private static readonly Lock SlotsLock = new();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int TakeParked()
    {
        var slot = t_slot;
        if (slot is null || !ReferenceEquals(slot.Pool, this))
        {
            return -1;
        }

        // Invariant: Pool is set exactly while Index holds a parked chunk of that pool.
        slot.Pool = null;
        return slot.Index;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryPark(int index)
    {
        var slot = t_slot ?? CreateSlot();
        if (slot.Pool is not null)
        {
            return false;
        }

        slot.Index = index;
        slot.Pool = this;
        return true;
    }

    private static ThreadSlot CreateSlot()
    {
        var slot = new ThreadSlot(Thread.CurrentThread);
        lock (SlotsLock)
        {
            // Prune empty slots of exited threads whenever the registry doubles, so thread churn cannot grow it.
            if (Slots.Count > 0 && (Slots.Count & (Slots.Count - 1)) == 0)
            {
                Slots.RemoveAll(static s => !s.Owner.IsAlive && s.Pool is null);
            }

            Slots.Add(slot);
        }

        t_slot = slot;
        return slot;
    }

    /// <summary>Puts back on the shared stacks the calling thread's parked chunk of this pool and every chunk parked by an exited thread.</summary>
    /// <returns>The number of chunks of this pool made available.</returns>
    private int UnparkOwnAndExited()
    {
        var reclaimed = 0;
        var own = t_slot;
        if (own is not null && ReferenceEquals(own.Pool, this))
        {
            own.Pool = null;
            Push(own.Index);
            reclaimed++;
        }

        lock (SlotsLock)
        {
            for (var i = Slots.Count - 1; i >= 0; i--)
            {
                var slot = Slots[i];
                if (slot.Owner.IsAlive)
                {
                    continue;
                }

                // The owner has exited, so nothing else touches this slot: its chunk goes home, whichever pool it is from.
                if (slot.Pool is { } pool)
                {
                    slot.Pool = null;
                    pool.Push(slot.Index);
                    if (ReferenceEquals(pool, this))
                    {
                        reclaimed++;
                    }
                }

                Slots.RemoveAt(i);
            }
        }

        return reclaimed;
    }

    private int CountParked()
    {
        if (!_threadCache)
        {
            return 0;
        }

        var parked = 0;
        lock (SlotsLock)
        {
            foreach (var slot in Slots)
            {
                if (ReferenceEquals(Volatile.Read(ref slot.Pool), this))
                {
                    parked++;
                }
            }
        }

        return parked;
    }

    private sealed class ThreadSlot(Thread owner)
    {
        public readonly Thread Owner = owner;
        public ChunkPool? Pool;
        public int Index;
    }
}
