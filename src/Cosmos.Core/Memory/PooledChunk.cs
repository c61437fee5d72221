namespace Cosmos.Core.Memory;

/// <summary>A chunk rented from a <see cref="ChunkPool"/>: its memory plus the identity the pool checks on return.</summary>
/// <remarks>
/// A copy of the handle refers to the same chunk; return it exactly once. After the return, the memory belongs to
/// the pool again and must not be used. The default value is not a chunk and is rejected by <see cref="ChunkPool.Return"/>.
/// </remarks>
public readonly struct PooledChunk : IEquatable<PooledChunk>
{
    internal PooledChunk(ChunkPool pool, byte[] buffer, int index, int generation)
    {
        Pool = pool;
        Buffer = buffer;
        Index = index;
        Generation = generation;
    }

    /// <summary>Gets the chunk's memory, <see cref="ChunkPoolOptions.ChunkSize"/> bytes; its contents are whatever the last renter left.</summary>
    public Memory<byte> Memory => Buffer;

    /// <summary>Gets the chunk's memory as a span.</summary>
    public Span<byte> Span => Buffer;

    /// <summary>Gets the chunk's size in bytes (0 for the default value).</summary>
    public int Length => Buffer?.Length ?? 0;

    /// <summary>Gets the chunk's position in its pool, in [0, <see cref="ChunkPoolOptions.ChunkCount"/>).</summary>
    public int Index { get; }

    internal ChunkPool? Pool { get; }

    internal byte[]? Buffer { get; }

    internal int Generation { get; }

    /// <summary>Compares two handles.</summary>
    /// <param name="left">The first handle.</param>
    /// <param name="right">The second handle.</param>
    /// <returns><see langword="true"/> when both refer to the same rental of the same chunk.</returns>
    public static bool operator ==(PooledChunk left, PooledChunk right) => left.Equals(right);

    /// <summary>Compares two handles.</summary>
    /// <param name="left">The first handle.</param>
    /// <param name="right">The second handle.</param>
    /// <returns><see langword="true"/> when they refer to different chunks or rentals.</returns>
    public static bool operator !=(PooledChunk left, PooledChunk right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(PooledChunk other) =>
        ReferenceEquals(Pool, other.Pool) && ReferenceEquals(Buffer, other.Buffer) && Index == other.Index && Generation == other.Generation;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PooledChunk other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Pool, Index, Generation);
}
