using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Cosmos.Audit.Log.Internal;

namespace Cosmos.Audit.Log;

/// <summary>
/// The hash chain of the audit log, independent of where records are kept: the canonical JSON of an event and the hash
/// that links a record to the one before it. <see cref="AuditLogFile"/> uses it for its lines; a log kept in a database
/// uses it to produce and check the same hashes, so both verify alike.
/// </summary>
/// <remarks>
/// <para><c>hash = SHA-256("cosmos-audit-v1\0" || prev || {"seq":N,"prev":"&lt;prev as lowercase hex&gt;","event":&lt;event JSON&gt;)</c>,
/// where <c>prev</c> is the previous record's 32-byte hash (<see cref="GenesisHash"/> for the first record, sequence 1) and
/// the event JSON is exactly the bytes <see cref="SerializeEvent"/> produced; keep those bytes as they are (text, not a
/// re-encoding JSON column type) so the hash can be recomputed.</para>
/// <para>The hash covers the sequence number and the link, so a record cannot be moved, dropped or replaced without breaking
/// every later hash. Recomputing the whole tail is possible for whoever can write the log; signed checkpoints
/// are what catch that.</para>
/// </remarks>
public static class AuditRecordHasher
{
    /// <summary>The size in bytes of a record hash (SHA-256).</summary>
    public const int HashSize = AuditRecordFormat.HashSize;

    private static readonly byte[] Genesis = new byte[HashSize];

    /// <summary>The previous hash of the first record: 32 zero bytes.</summary>
    public static ReadOnlySpan<byte> GenesisHash => Genesis;

    /// <summary>Serializes an event to its canonical UTF-8 JSON (fixed property order, UTC timestamps), the bytes that are hashed.</summary>
    /// <param name="auditEvent">The event.</param>
    /// <returns>The event's JSON.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="auditEvent"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The event lacks a field its action requires.</exception>
    public static byte[] SerializeEvent(AuditEvent auditEvent)
    {
        AuditEventJson.Validate(auditEvent, nameof(auditEvent));
        var rented = AuditEventJson.SerializeToRented(auditEvent, out var length);
        try
        {
            return rented.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Reads an event from the JSON <see cref="SerializeEvent"/> wrote.</summary>
    /// <param name="eventJson">The event's JSON.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The JSON is not an audit event.</exception>
    public static AuditEvent DeserializeEvent(ReadOnlySpan<byte> eventJson)
    {
        var reader = new Utf8JsonReader(eventJson);
        using var document = JsonDocument.ParseValue(ref reader);
        return AuditEventJson.Read(document.RootElement);
    }

    /// <summary>Computes the hash of record <paramref name="sequence"/> holding <paramref name="eventJson"/> and linked to <paramref name="previousHash"/>.</summary>
    /// <param name="sequence">The record's sequence number, 1 for the first record.</param>
    /// <param name="previousHash">The previous record's hash (<see cref="GenesisHash"/> for sequence 1).</param>
    /// <param name="eventJson">The event's JSON exactly as serialized.</param>
    /// <param name="destination">Receives the 32-byte hash.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="previousHash"/> is not 32 bytes, or <paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void ComputeHash(long sequence, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> eventJson, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        if (previousHash.Length != HashSize)
        {
            throw new ArgumentException($"The previous hash must be {HashSize} bytes (was {previousHash.Length}).", nameof(previousHash));
        }

        if (destination.Length < HashSize)
        {
            throw new ArgumentException($"The destination must hold {HashSize} bytes (was {destination.Length}).", nameof(destination));
        }

        // Hashed in pieces, so neither the record's body nor a hash object is allocated per call (a database log calls this per record).
        Span<byte> prefix = stackalloc byte[AuditRecordFormat.PrefixMaxLength];
        var prefixLength = AuditRecordFormat.WritePrefix(prefix, sequence, previousHash);
        RecordSha256.Hash(AuditRecordFormat.Domain, previousHash, prefix[..prefixLength], eventJson, destination[..HashSize]);
    }

    /// <summary>Computes the hash of a record (see <see cref="ComputeHash(long, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>).</summary>
    /// <param name="sequence">The record's sequence number, 1 for the first record.</param>
    /// <param name="previousHash">The previous record's hash.</param>
    /// <param name="eventJson">The event's JSON exactly as serialized.</param>
    /// <returns>The 32-byte hash.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="previousHash"/> is not 32 bytes.</exception>
    public static byte[] ComputeHash(long sequence, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> eventJson)
    {
        var hash = new byte[HashSize];
        ComputeHash(sequence, previousHash, eventJson, hash);
        return hash;
    }

    /// <summary>Formats a hash as the lowercase hex the file log writes.</summary>
    /// <param name="hash">The hash.</param>
    /// <returns>Lowercase hex.</returns>
    public static string ToHex(ReadOnlySpan<byte> hash) => AuditRecordFormat.ToHex(hash);

    /// <summary>Checks a stored hash against the recomputed one in constant time.</summary>
    /// <param name="sequence">The record's sequence number.</param>
    /// <param name="previousHash">The previous record's hash.</param>
    /// <param name="eventJson">The event's JSON as stored.</param>
    /// <param name="storedHash">The hash stored with the record.</param>
    /// <returns><see langword="true"/> when the stored hash is the record's hash.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="previousHash"/> is not 32 bytes.</exception>
    public static bool VerifyHash(long sequence, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> eventJson, ReadOnlySpan<byte> storedHash)
    {
        Span<byte> computed = stackalloc byte[HashSize];
        ComputeHash(sequence, previousHash, eventJson, computed);
        return storedHash.Length == HashSize && CryptographicOperations.FixedTimeEquals(computed, storedHash);
    }
}
