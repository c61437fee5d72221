using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace Cosmos.Core.Memory;

/// <summary>Settings for <see cref="ChunkPool"/>.</summary>
public sealed class ChunkPoolOptions
{
    /// <summary>The largest number of chunks a pool can hold (22 bits of the lock-free stack head).</summary>
    public const int MaxChunkCount = (1 << 22) - 1;

    /// <summary>Gets or sets the size of every chunk in bytes.</summary>
    /// <value>The default value is 1024. Must be at least 1.</value>
    [Range(1, int.MaxValue)]
    public int ChunkSize { get; set; } = 1024;

    /// <summary>Gets or sets the number of chunks the pool holds; the pool never hands out more.</summary>
    /// <value>The default value is 1000. Must be in [1, <see cref="MaxChunkCount"/>].</value>
    [Range(1, MaxChunkCount)]
    public int ChunkCount { get; set; } = 1000;

    /// <summary>Gets or sets the GC memory load (memory in use / memory available to the process) at or above which free chunks are released.</summary>
    /// <value>The default value is 0.8 (80 %). Must be in (0, 1].</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double TrimMemoryLoadThreshold { get; set; } = 0.8;

    /// <summary>Gets or sets how often the pool checks the memory load; <see cref="TimeSpan.Zero"/> or <see cref="Timeout.InfiniteTimeSpan"/> disables the periodic check.</summary>
    /// <value>The default value is 10 seconds. Must be at most 4294967294 ms, the longest period a timer accepts.</value>
    // The lower bound admits Timeout.InfiniteTimeSpan (−1 ms); any value ≤ 0 disables the check.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "TimeSpan is one of TypeDescriptor's intrinsic types, whose converter is never trimmed; the source-generated validator parses the bounds itself.")]
    [Range(typeof(TimeSpan), "-00:00:00.001", "49.17:02:47.294")]
    public TimeSpan PressureCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets a value indicating whether each thread keeps the chunk it returned last for its next rent.</summary>
    /// <value>
    /// The default value is <see langword="true"/>: a rent after a return on the same thread runs no interlocked
    /// instruction (the pool's fast path). The price: a chunk parked by another live thread (at most one per thread) is
    /// not handed out, so a rent can miss while that many chunks are parked. <see langword="false"/> keeps every free
    /// chunk on the shared stack, so a rent misses only when every chunk is rented.
    /// </value>
    public bool ThreadCache { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether every chunk's buffer is allocated when the pool is created rather than on first rent.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Preallocate { get; set; } = true;
}
