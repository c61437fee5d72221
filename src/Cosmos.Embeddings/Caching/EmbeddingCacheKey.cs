using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cosmos.Embeddings.Caching;

/// <summary>The SHA-256 of (model id, dimensions, input type, text), held as four 64-bit words so it compares and hashes without allocation.</summary>
internal readonly record struct EmbeddingCacheKey(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>Encodes the request-wide part once: model id, dimensions and input type, each UTF-8 with a 4-byte length in front so no two different triples encode alike; the text follows last.</summary>
    public static byte[] CreatePrefix(string? modelId, int? dimensions, string? inputType)
    {
        var fields = new[] { modelId ?? string.Empty, dimensions?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, inputType ?? string.Empty };
        var buffer = new ArrayBufferWriter<byte>(64);
        foreach (var field in fields)
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), bytes.Length);
            buffer.Advance(4);
            buffer.Write(bytes);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static EmbeddingCacheKey Compute(ReadOnlySpan<byte> prefix, string text)
    {
        var length = prefix.Length + Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = length <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            prefix.CopyTo(buffer);
            var written = prefix.Length + Encoding.UTF8.GetBytes(text, buffer[prefix.Length..]);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..written], hash);
            return new EmbeddingCacheKey(
                BinaryPrimitives.ReadUInt64LittleEndian(hash),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
