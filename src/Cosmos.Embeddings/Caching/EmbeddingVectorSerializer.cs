using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Cosmos.Embeddings.Caching;

/// <summary>The shared cache's value format: the vector as raw little-endian IEEE 754 float32, four bytes per dimension and
/// nothing else (no JSON, no header), so a 384-dimension vector is 1,536 bytes on any machine.</summary>
public static class EmbeddingVectorSerializer
{
    /// <summary>The bytes a vector of <paramref name="dimensions"/> takes.</summary>
    /// <param name="dimensions">The vector length.</param>
    /// <returns>4 × <paramref name="dimensions"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> is negative or too large for an array.</exception>
    public static int GetByteCount(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimensions);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, Array.MaxLength / sizeof(float));
        return dimensions * sizeof(float);
    }

    /// <summary>Writes <paramref name="vector"/> to <paramref name="destination"/> as little-endian float32.</summary>
    /// <param name="vector">The vector.</param>
    /// <param name="destination">At least <see cref="GetByteCount"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short; the message gives both lengths.</exception>
    public static void Write(ReadOnlySpan<float> vector, Span<byte> destination)
    {
        var bytes = vector.Length * sizeof(float);
        if (destination.Length < bytes)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; {bytes} are needed for {vector.Length} dimensions.", nameof(destination));
        }

        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(vector).CopyTo(destination);
            return;
        }

        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[(i * sizeof(float))..], vector[i]);
        }
    }

    /// <summary>Serializes <paramref name="vector"/> into a new array.</summary>
    /// <param name="vector">The vector.</param>
    /// <returns>4 × length bytes.</returns>
    public static byte[] Serialize(ReadOnlySpan<float> vector)
    {
        var bytes = new byte[GetByteCount(vector.Length)];
        Write(vector, bytes);
        return bytes;
    }

    /// <summary>Reads a vector written by <see cref="Write"/>.</summary>
    /// <param name="source">The bytes.</param>
    /// <returns>The vector.</returns>
    /// <exception cref="ArgumentException">The length of <paramref name="source"/> is not a multiple of 4.</exception>
    public static float[] Deserialize(ReadOnlySpan<byte> source)
    {
        if (source.Length % sizeof(float) != 0)
        {
            throw new ArgumentException($"A serialized vector is a multiple of 4 bytes long, not {source.Length}.", nameof(source));
        }

        var vector = new float[source.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(MemoryMarshal.AsBytes(vector.AsSpan()));
            return vector;
        }

        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * sizeof(float))..]);
        }

        return vector;
    }
}
