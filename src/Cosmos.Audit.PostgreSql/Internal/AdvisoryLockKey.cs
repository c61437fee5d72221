using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cosmos.Audit.PostgreSql.Internal;

/// <summary>Stable 64-bit advisory lock keys per schema and purpose, computed here so every host derives the same key.</summary>
internal static class AdvisoryLockKey
{
    public static long For(string schema, string purpose)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("cosmos-audit-lock\0" + schema + "\0" + purpose), hash);
        return BinaryPrimitives.ReadInt64LittleEndian(hash);
    }
}
