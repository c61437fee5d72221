namespace Cosmos.Core.Memory;

/// <summary>A snapshot of a <see cref="ChunkPool"/>'s counters.</summary>
/// <param name="ChunkSize">The size of each chunk in bytes.</param>
/// <param name="ChunkCount">The number of chunks the pool holds.</param>
/// <param name="Rented">Chunks currently rented (<c>ChunkCount − Available</c>).</param>
/// <param name="Available">Chunks currently free to rent.</param>
/// <param name="PeakRented">The largest number of chunks rented at the same time since the pool was created.</param>
/// <param name="Misses">Rent attempts that found the pool exhausted.</param>
/// <param name="AllocatedChunks">Chunks whose buffer is currently allocated (free ones may have been released by a trim).</param>
/// <param name="TrimmedChunks">Free chunk buffers released by trims since the pool was created.</param>
public readonly record struct ChunkPoolStatistics(
    int ChunkSize,
    int ChunkCount,
    int Rented,
    int Available,
    int PeakRented,
    long Misses,
    int AllocatedChunks,
    long TrimmedChunks);
