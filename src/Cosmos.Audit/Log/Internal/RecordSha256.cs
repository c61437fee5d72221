using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Cosmos.Audit.Log.Internal;

/// <summary>
/// SHA-256 of one audit record (a few hundred bytes, hashed once per append on the log's single writer thread).
/// </summary>
/// <remarks>
/// <para>Why not only <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>: on Linux it goes through OpenSSL 3's
/// provider-based EVP layer, which allocates, initialises and frees a digest context per call. For a 450-byte record that
/// fixed cost (about 400 ns) is larger than hashing the bytes themselves (about 250 ns with SHA-NI), and the hash chain makes
/// it a serial cost of every append. The same library's direct digest (<c>SHA256_Init/Update/Final</c> on a caller-owned
/// context, exported by libcrypto 1.1 and 3 with the same 112-byte context) costs about 50 ns per record on top of the bytes.</para>
/// <para>So on Linux the direct digest is loaded from the libcrypto .NET itself uses, and accepted only after it reproduces
/// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> on known inputs; everywhere else, or when it cannot be loaded, or when
/// the <c>Cosmos.Audit.DisableDirectSha256</c> AppContext switch is set (for example where only a FIPS provider may hash),
/// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> is used. Both produce the same SHA-256, so logs written either way
/// verify either way.</para>
/// <para>The native calls skip the GC transition (they neither block nor call back); each update is capped at
/// <see cref="MaxChunk"/> bytes so a call stays within a couple of microseconds and never holds up a garbage collection longer.</para>
/// </remarks>
internal static unsafe class RecordSha256
{
    /// <summary>The AppContext switch that turns the direct digest off.</summary>
    public const string DisableSwitch = "Cosmos.Audit.DisableDirectSha256";

    // SHA256_CTX is 112 bytes in libcrypto 1.1 and 3 (8 + 2 + 16 + 2 32-bit words); 128 leaves room and keeps alignment.
    private const int ContextSize = 128;

    // About 2 µs of hashing: the longest a single call may delay a garbage collection.
    private const int MaxChunk = 4096;

    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, int> Init;
    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, nuint, int> Update;
    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int> Final;

    static RecordSha256()
    {
        if (!OperatingSystem.IsLinux() || (AppContext.TryGetSwitch(DisableSwitch, out var disabled) && disabled))
        {
            return;
        }

        foreach (var name in (ReadOnlySpan<string>)["libcrypto.so.3", "libcrypto.so.1.1"])
        {
            if (NativeLibrary.TryLoad(name, out var library)
                && NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
                && NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
                && NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
            {
                Init = (delegate* unmanaged[SuppressGCTransition]<byte*, int>)init;
                Update = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, nuint, int>)update;
                Final = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int>)final;
                if (SelfTest())
                {
                    IsDirect = true;
                    return;
                }

                Init = null;
                Update = null;
                Final = null;
            }
        }
    }

    /// <summary>Whether the direct libcrypto digest is in use (otherwise <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>).</summary>
    public static bool IsDirect { get; }

    /// <summary>Writes SHA-256(<paramref name="first"/> || <paramref name="second"/> || <paramref name="third"/>) into <paramref name="destination"/> (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, Span<byte> destination) =>
        Hash(first, second, third, [], destination);

    /// <summary>Writes SHA-256(<paramref name="first"/> || <paramref name="second"/> || <paramref name="third"/> || <paramref name="fourth"/>)
    /// into <paramref name="destination"/> (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, ReadOnlySpan<byte> fourth, Span<byte> destination)
    {
        if (destination.Length < AuditRecordFormat.HashSize)
        {
            throw new ArgumentException($"The destination must hold {AuditRecordFormat.HashSize} bytes (was {destination.Length}).", nameof(destination));
        }

        if (IsDirect)
        {
            HashDirect(first, second, third, fourth, destination);
        }
        else
        {
            HashManaged(first, second, third, fourth, destination);
        }
    }

    /// <summary>The portable path, also the reference the direct path is checked against.</summary>
    internal static void HashManaged(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, ReadOnlySpan<byte> fourth, Span<byte> destination)
    {
        var length = first.Length + second.Length + third.Length + fourth.Length;
        if (length <= MaxChunk)
        {
            // One call over a contiguous copy is cheaper than an incremental hash object's several calls.
            Span<byte> input = stackalloc byte[length];
            first.CopyTo(input);
            second.CopyTo(input[first.Length..]);
            third.CopyTo(input[(first.Length + second.Length)..]);
            fourth.CopyTo(input[(first.Length + second.Length + third.Length)..]);
            SHA256.HashData(input, destination);
            return;
        }

        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(first);
        sha256.AppendData(second);
        sha256.AppendData(third);
        sha256.AppendData(fourth);
        sha256.GetHashAndReset(destination);
    }

    private static void HashDirect(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, ReadOnlySpan<byte> fourth, Span<byte> destination)
    {
        var context = stackalloc byte[ContextSize];
        if (Init(context) != 1)
        {
            throw new CryptographicException("SHA256_Init failed.");
        }

        Append(context, first);
        Append(context, second);
        Append(context, third);
        Append(context, fourth);
        fixed (byte* output = destination)
        {
            if (Final(output, context) != 1)
            {
                throw new CryptographicException("SHA256_Final failed.");
            }
        }
    }

    private static void Append(byte* context, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            for (var offset = 0; offset < data.Length; offset += MaxChunk)
            {
                if (Update(context, start + offset, (nuint)Math.Min(MaxChunk, data.Length - offset)) != 1)
                {
                    throw new CryptographicException("SHA256_Update failed.");
                }
            }
        }
    }

    // Lengths around the 64-byte block and 56-byte padding edges, and over one chunk, split four ways.
    private static bool SelfTest()
    {
        try
        {
            var data = new byte[(2 * MaxChunk) + 130];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = (byte)((i * 31) + 7);
            }

            Span<byte> expected = stackalloc byte[AuditRecordFormat.HashSize];
            Span<byte> actual = stackalloc byte[AuditRecordFormat.HashSize];
            foreach (var length in (ReadOnlySpan<int>)[0, 1, 55, 56, 63, 64, 65, 119, 120, 447, 448, MaxChunk, data.Length])
            {
                var input = data.AsSpan(0, length);
                SHA256.HashData(input, expected);
                HashDirect(input[..(length / 4)], input[(length / 4)..(length / 3)], input[(length / 3)..(length / 2)], input[(length / 2)..], actual);
                if (!expected.SequenceEqual(actual))
                {
                    return false;
                }
            }

            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
