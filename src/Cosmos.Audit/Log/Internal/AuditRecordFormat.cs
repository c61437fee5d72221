using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Cosmos.Audit.Log.Internal;

/// <summary>
/// The on-disk form of one hash-chained record, one JSON object per line:
/// <c>{"seq":N,"prev":"&lt;hex&gt;","event":{...},"hash":"&lt;hex&gt;"}</c>.
/// </summary>
/// <remarks>
/// The hash covers the exact bytes written, so no JSON canonicalisation is needed:
/// <c>hash = SHA-256("cosmos-audit-v1\0" || prev (32 raw bytes) || line bytes up to, not including, <c>,"hash":"</c>)</c>.
/// The first record's prev is 32 zero bytes. Hex is lowercase and compared byte for byte, so even a case flip is caught.
/// </remarks>
internal static class AuditRecordFormat
{
    public const int HashSize = 32;
    public const int HexSize = HashSize * 2;

    // ,"hash":" + 64 hex + "}
    public const int SuffixLength = 9 + HexSize + 2;

    public static ReadOnlySpan<byte> Domain => "cosmos-audit-v1\0"u8;

    // {"seq": + 20 digits + ,"prev":" + 64 hex + ","event":
    public const int PrefixMaxLength = 7 + 20 + 9 + HexSize + 10;

    private static ReadOnlySpan<byte> SeqOpen => "{\"seq\":"u8;

    private static ReadOnlySpan<byte> PrevOpen => ",\"prev\":\""u8;

    private static ReadOnlySpan<byte> EventOpen => "\",\"event\":"u8;

    private static ReadOnlySpan<byte> HashOpen => ",\"hash\":\""u8;

    /// <summary>Appends one framed record (with its trailing newline) and writes its hash into <paramref name="hash"/>.</summary>
    public static void Write(
        IBufferWriter<byte> output,
        long sequence,
        ReadOnlySpan<byte> previousHash,
        ReadOnlySpan<byte> eventJson,
        Span<byte> hash)
    {
        var span = output.GetSpan(PrefixMaxLength + eventJson.Length + SuffixLength + 1);
        var pos = WriteBody(span, sequence, previousHash, eventJson);

        ComputeHash(previousHash, span[..pos], hash);

        HashOpen.CopyTo(span[pos..]);
        pos += HashOpen.Length;
        WriteHex(hash, span[pos..]);
        pos += HexSize;
        span[pos++] = (byte)'"';
        span[pos++] = (byte)'}';
        span[pos++] = (byte)'\n';
        output.Advance(pos);
    }

    /// <summary>Appends the hashed part of a record: <c>{"seq":N,"prev":"&lt;hex&gt;","event":&lt;event JSON&gt;</c>.</summary>
    public static void WriteBody(IBufferWriter<byte> output, long sequence, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> eventJson)
    {
        var span = output.GetSpan(PrefixMaxLength + eventJson.Length);
        output.Advance(WriteBody(span, sequence, previousHash, eventJson));
    }

    /// <summary>Writes <c>{"seq":N,"prev":"&lt;hex&gt;","event":</c>, the part of the body before the event JSON; returns its length.</summary>
    public static int WritePrefix(Span<byte> span, long sequence, ReadOnlySpan<byte> previousHash) =>
        WriteBody(span, sequence, previousHash, []);

    private static int WriteBody(Span<byte> span, long sequence, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> eventJson)
    {
        var pos = 0;
        SeqOpen.CopyTo(span);
        pos += SeqOpen.Length;
        Utf8Formatter.TryFormat(sequence, span[pos..], out var written);
        pos += written;
        PrevOpen.CopyTo(span[pos..]);
        pos += PrevOpen.Length;
        WriteHex(previousHash, span[pos..]);
        pos += HexSize;
        EventOpen.CopyTo(span[pos..]);
        pos += EventOpen.Length;
        eventJson.CopyTo(span[pos..]);
        pos += eventJson.Length;
        return pos;
    }

    /// <summary>Writes the record hash, SHA-256(domain || prev || body), into <paramref name="hash"/>.</summary>
    public static void ComputeHash(ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> body, Span<byte> hash) =>
        RecordSha256.Hash(Domain, previousHash, body, hash);

    public static void WriteHex(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        // Vectorised, lowercase, straight into UTF-8.
        if (!Convert.TryToHexStringLower(bytes, destination, out _))
        {
            throw new ArgumentException("The destination is too short for the hex.", nameof(destination));
        }
    }

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Decodes strictly lowercase hex; uppercase is rejected so that the written form is the only valid one.</summary>
    public static bool TryReadHex(ReadOnlySpan<byte> hex, Span<byte> destination)
    {
        if (hex.Length != destination.Length * 2)
        {
            return false;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            var hi = HexValue(hex[2 * i]);
            var lo = HexValue(hex[(2 * i) + 1]);
            if ((hi | lo) < 0)
            {
                return false;
            }

            destination[i] = (byte)((hi << 4) | lo);
        }

        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };

    /// <summary>Parses the structure of one line; returns false when it is not a well-formed record.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, Span<byte> previousHash, Span<byte> storedHash, out long sequence, out Guid eventId)
    {
        sequence = 0;
        eventId = Guid.Empty;
        if (line.Length < SeqOpen.Length + SuffixLength || !line.StartsWith(SeqOpen))
        {
            return false;
        }

        var suffix = line[^SuffixLength..];
        if (!suffix.StartsWith(HashOpen) || suffix[^2] != (byte)'"' || suffix[^1] != (byte)'}'
            || !TryReadHex(suffix.Slice(HashOpen.Length, HexSize), storedHash))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !ReadName(ref reader, "seq"u8) || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out sequence)
                || !ReadName(ref reader, "prev"u8) || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped
                || !TryReadHex(reader.ValueSpan, previousHash)
                || !ReadName(ref reader, "event"u8) || !TryReadEventId(ref reader, out eventId)
                || !ReadName(ref reader, "hash"u8) || !reader.Read() || reader.TokenType != JsonTokenType.String
                || !reader.Read() || reader.TokenType != JsonTokenType.EndObject)
            {
                return false;
            }

            // Nothing may follow the record's closing brace.
            return reader.BytesConsumed == line.Length && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool ReadName(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(name);

    private static bool TryReadEventId(ref Utf8JsonReader reader, out Guid eventId)
    {
        eventId = Guid.Empty;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var found = false;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return found;
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                return false;
            }

            var isId = reader.ValueTextEquals("id"u8);
            if (!reader.Read())
            {
                return false;
            }

            if (isId)
            {
                if (reader.TokenType != JsonTokenType.String || !reader.TryGetGuid(out eventId))
                {
                    return false;
                }

                found = true;
            }
            else
            {
                reader.Skip();
            }
        }

        return false;
    }
}
