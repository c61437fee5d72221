using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cosmos.Audit.Log;

/// <summary>
/// A signed statement of an audit log's state, in the manner of an RFC 9162 signed tree head: "log <see cref="Origin"/> held
/// <see cref="Sequence"/> records ending in <see cref="HeadHash"/> at <see cref="Timestamp"/>", signed with a checkpoint key.
/// </summary>
/// <remarks>
/// <para>The signed text is <c>cosmos-audit-checkpoint/v1\n&lt;origin&gt;\n&lt;sequence&gt;\n&lt;head hash&gt;\n&lt;timestamp&gt;\n&lt;key id&gt;\n</c>
/// (timestamp as <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>).</para>
/// <para>Kept where the log's writer cannot rewrite it, a checkpoint lets <see cref="AuditLogFile.VerifyAsync(string, AuditCheckpoint, AuditCheckpointSigner, CancellationToken)"/>
/// catch what the hash chain alone cannot: records cut from the end (truncation) and a log rewritten from some record on with
/// every hash recomputed (re-chaining).</para>
/// </remarks>
/// <param name="Origin">The log's name, as configured (<see cref="AuditCheckpointOptions.Origin"/>).</param>
/// <param name="Sequence">The number of records the log held (the last record's sequence number).</param>
/// <param name="HeadHash">The lowercase hex hash of that last record (64 zeros for an empty log).</param>
/// <param name="Timestamp">When the checkpoint was made (UTC).</param>
/// <param name="KeyId">The id of the key that signed it.</param>
/// <param name="Algorithm">How it was signed.</param>
/// <param name="Signature">The signature, base64url without padding.</param>
public sealed record AuditCheckpoint(
    string Origin,
    long Sequence,
    string HeadHash,
    DateTimeOffset Timestamp,
    string KeyId,
    AuditCheckpointAlgorithm Algorithm,
    string Signature)
{
    /// <summary>Writes the checkpoint as one line of JSON (the form <see cref="Parse"/> reads).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("origin", Origin);
            writer.WriteNumber("seq", Sequence);
            writer.WriteString("head", HeadHash);
            writer.WriteString("at", FormatTimestamp(Timestamp));
            writer.WriteString("kid", KeyId);
            writer.WriteString("alg", Algorithm == AuditCheckpointAlgorithm.HmacSha256 ? "HS256" : "ES256");
            writer.WriteString("sig", Signature);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads a checkpoint written by <see cref="ToJson"/> (the signature is not checked here).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a checkpoint.</exception>
    public static AuditCheckpoint Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var algorithm = root.GetProperty("alg").GetString() switch
            {
                "HS256" => AuditCheckpointAlgorithm.HmacSha256,
                "ES256" => AuditCheckpointAlgorithm.EcdsaP256Sha256,
                var other => throw new FormatException($"Unknown checkpoint algorithm '{other}'."),
            };
            return new AuditCheckpoint(
                root.GetProperty("origin").GetString() ?? throw new FormatException("The checkpoint has no origin."),
                root.GetProperty("seq").GetInt64(),
                root.GetProperty("head").GetString() ?? throw new FormatException("The checkpoint has no head hash."),
                DateTimeOffset.ParseExact(root.GetProperty("at").GetString()!, "yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                root.GetProperty("kid").GetString() ?? throw new FormatException("The checkpoint has no key id."),
                algorithm,
                root.GetProperty("sig").GetString() ?? throw new FormatException("The checkpoint has no signature."));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentNullException)
        {
            throw new FormatException("The text is not an audit checkpoint.", ex);
        }
    }

    internal static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    internal static byte[] SignedText(string origin, long sequence, string headHash, DateTimeOffset timestamp, string keyId) =>
        Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"cosmos-audit-checkpoint/v1\n{origin}\n{sequence}\n{headHash}\n{FormatTimestamp(timestamp)}\n{keyId}\n"));
}
