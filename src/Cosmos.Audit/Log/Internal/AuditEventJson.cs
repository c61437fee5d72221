using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cosmos.Audit.Log.Internal;

/// <summary>Writes and reads the JSON form of an <see cref="AuditEvent"/> (fixed property order, UTC timestamps).</summary>
internal static class AuditEventJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    // Longer text goes through the writer, which also enforces its own limits on huge strings.
    private const int MaxDirectTextLength = 64 * 1024;

    // {"id":"<36>","at":"<28>","action":"<24>","collection":"","documentId":"","author":"","reason":"","target":""}
    private const int DirectFixedLength = 192;

    // What Utf8JsonWriter's default encoder leaves as is: printable ASCII except " \ and the HTML-sensitive & ' + < > `.
    // Stricter than necessary is safe (such text takes the writer's path); looser would change the hashed bytes.
    private static readonly SearchValues<byte> PlainText = SearchValues.Create(
        " !#$%()*,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~"u8);

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    // Documents are written as values of the event object, one level below the root: same depth limit as when nested.
    private static readonly JsonWriterOptions DocumentWriterOptions = new() { Indented = false, MaxDepth = 999 };

    [ThreadStatic]
    private static Utf8JsonWriter? t_documentWriter;

    /// <summary>Checks the fields a sink needs, so a bad event fails in the caller rather than in a writer loop.</summary>
    public static void Validate(AuditEvent auditEvent, string paramName)
    {
        ArgumentNullException.ThrowIfNull(auditEvent, paramName);
        if (!Enum.IsDefined(auditEvent.Action))
        {
            throw new ArgumentException($"The audit action {(int)auditEvent.Action} is not defined.", paramName);
        }

        if (IsChange(auditEvent.Action))
        {
            if (string.IsNullOrEmpty(auditEvent.Author) || string.IsNullOrEmpty(auditEvent.Collection) || string.IsNullOrEmpty(auditEvent.DocumentId))
            {
                throw new ArgumentException("An audited change needs an author, a collection and a document id.", paramName);
            }
        }
        else if (string.IsNullOrEmpty(auditEvent.Reason) || auditEvent.Author is null || auditEvent.Collection is null || auditEvent.DocumentId is null)
        {
            throw new ArgumentException("A security event needs a reason (and non-null author, collection and document id, which may be empty).", paramName);
        }
    }

    public static bool IsChange(AuditAction action) => action <= AuditAction.Restore;

    /// <summary>Serializes the event into a pooled array; the caller returns it to <see cref="ArrayPool{T}.Shared"/>.</summary>
    public static byte[] SerializeToRented(AuditEvent auditEvent, out int length)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        if (!TryWriteDirect(auditEvent, buffer))
        {
            buffer.ResetWrittenCount();
            var writer = Writer(buffer);
            Write(writer, auditEvent);
            writer.Flush();
        }

        length = buffer.WrittenCount;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        buffer.WrittenSpan.CopyTo(rented);
        return rented;
    }

    /// <summary>Serializes the event through <see cref="Utf8JsonWriter"/> alone (the reference the direct path must match).</summary>
    internal static byte[] SerializeWithJsonWriter(AuditEvent auditEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        Write(writer, auditEvent);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static Utf8JsonWriter Writer(ArrayBufferWriter<byte> buffer) => Reuse(ref t_writer, buffer, WriterOptions);

    /// <summary>The calling thread's writer in <paramref name="slot"/>, reset onto <paramref name="buffer"/>, created on first use.</summary>
    private static Utf8JsonWriter Reuse(ref Utf8JsonWriter? slot, ArrayBufferWriter<byte> buffer, JsonWriterOptions options)
    {
        if (slot is null)
        {
            slot = new Utf8JsonWriter(buffer, options);
        }
        else
        {
            slot.Reset(buffer);
        }

        return slot;
    }

    /// <summary>
    /// Writes the same bytes as <see cref="Write"/> without the writer's per-property bookkeeping, for events whose strings need no
    /// escaping (the common case: ids, names and author strings are plain ASCII); returns false, having written an unspecified
    /// prefix, for any other event, which then goes through <see cref="Write"/>.
    /// </summary>
    /// <remarks>Serializing through <see cref="Utf8JsonWriter"/> costs about as much as hashing the record, and both sit on
    /// every append. Only the fixed fields are written here; the documents still go through the writer.</remarks>
    internal static bool TryWriteDirect(AuditEvent auditEvent, ArrayBufferWriter<byte> buffer)
    {
        var author = auditEvent.Author;
        var collection = auditEvent.Collection;
        var documentId = auditEvent.DocumentId;
        var reason = auditEvent.Reason;
        var target = auditEvent.Target;
        var textLength = (long)author.Length + collection.Length + documentId.Length + (reason?.Length ?? 0) + (target?.Length ?? 0);
        if (textLength > MaxDirectTextLength)
        {
            return false;
        }

        // Plain ASCII text is one byte per char; anything else is refused below before it could overflow.
        var span = buffer.GetSpan(DirectFixedLength + (int)textLength);
        var pos = Append(span, 0, "{\"id\":\""u8);
        auditEvent.EventId.TryFormat(span[pos..], out var written);
        pos += written;
        pos = Append(span, pos, "\",\"at\":\""u8);
        pos += WriteTimestamp(auditEvent.OccurredAt.UtcDateTime, span[pos..]);
        pos = Append(span, pos, "\",\"action\":\""u8);
        pos = Append(span, pos, ActionNameUtf8(auditEvent.Action));
        if (!TryAppendString(span, ref pos, "\",\"collection\":\""u8, collection)
            || !TryAppendString(span, ref pos, "\",\"documentId\":\""u8, documentId)
            || !TryAppendString(span, ref pos, "\",\"author\":\""u8, author))
        {
            return false;
        }

        span[pos++] = (byte)'"';
        if (reason is not null)
        {
            if (!TryAppendString(span, ref pos, ",\"reason\":\""u8, reason))
            {
                return false;
            }

            span[pos++] = (byte)'"';
        }

        if (target is not null)
        {
            if (!TryAppendString(span, ref pos, ",\"target\":\""u8, target))
            {
                return false;
            }

            span[pos++] = (byte)'"';
        }

        if (auditEvent.Before is null && auditEvent.After is null)
        {
            span[pos++] = (byte)'}';
            buffer.Advance(pos);
            return true;
        }

        buffer.Advance(pos);
        WriteDocument(buffer, ",\"before\":"u8, auditEvent.Before);
        WriteDocument(buffer, ",\"after\":"u8, auditEvent.After);
        buffer.GetSpan(1)[0] = (byte)'}';
        buffer.Advance(1);
        return true;
    }

    private static int Append(Span<byte> span, int pos, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[pos..]);
        return pos + bytes.Length;
    }

    private static bool TryAppendString(Span<byte> span, ref int pos, ReadOnlySpan<byte> open, string value)
    {
        var start = Append(span, pos, open);
        var destination = span[start..];
        for (var i = 0; i < value.Length; i++)
        {
            // Narrowing is exact only for ASCII; the check below refuses anything that is not plain ASCII.
            var c = value[i];
            if (c > 0x7E)
            {
                return false;
            }

            destination[i] = (byte)c;
        }

        if (destination[..value.Length].ContainsAnyExcept(PlainText))
        {
            return false;
        }

        pos = start + value.Length;
        return true;
    }

    private static void WriteDocument(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> name, JsonObject? document)
    {
        if (document is null)
        {
            return;
        }

        name.CopyTo(buffer.GetSpan(name.Length));
        buffer.Advance(name.Length);
        var writer = DocumentWriter(buffer);
        document.WriteTo(writer);
        writer.Flush();
    }

    private static Utf8JsonWriter DocumentWriter(ArrayBufferWriter<byte> buffer) => Reuse(ref t_documentWriter, buffer, DocumentWriterOptions);

    /// <summary>Writes a UTC time as <see cref="Utf8JsonWriter"/> does: ISO 8601 with the fraction's trailing zeros (and a bare dot) cut.</summary>
    private static int WriteTimestamp(DateTime utc, Span<byte> destination)
    {
        // yyyy-MM-ddTHH:mm:ss.fffffffZ
        Span<byte> round = stackalloc byte[28];
        if (!Utf8Formatter.TryFormat(utc, round, out var written, new StandardFormat('O')) || written != round.Length)
        {
            throw new FormatException("A UTC timestamp did not format to 28 bytes.");
        }

        var end = 27;
        while (end > 20 && round[end - 1] == (byte)'0')
        {
            end--;
        }

        if (end == 20)
        {
            // No fraction at all: the dot goes too.
            end = 19;
        }

        round[..end].CopyTo(destination);
        destination[end] = (byte)'Z';
        return end + 1;
    }

    public static void Write(Utf8JsonWriter writer, AuditEvent auditEvent)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, auditEvent.EventId);
        writer.WriteString("at"u8, auditEvent.OccurredAt.UtcDateTime);
        writer.WriteString("action"u8, ActionName(auditEvent.Action));
        writer.WriteString("collection"u8, auditEvent.Collection);
        writer.WriteString("documentId"u8, auditEvent.DocumentId);
        writer.WriteString("author"u8, auditEvent.Author);
        if (auditEvent.Reason is not null)
        {
            writer.WriteString("reason"u8, auditEvent.Reason);
        }

        if (auditEvent.Target is not null)
        {
            writer.WriteString("target"u8, auditEvent.Target);
        }

        if (auditEvent.Before is not null)
        {
            writer.WritePropertyName("before"u8);
            auditEvent.Before.WriteTo(writer);
        }

        if (auditEvent.After is not null)
        {
            writer.WritePropertyName("after"u8);
            auditEvent.After.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads an event written by <see cref="Write"/>.</summary>
    /// <exception cref="JsonException">A required property is missing or has the wrong type.</exception>
    public static AuditEvent Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("An audit event must be a JSON object.");
        }

        return new AuditEvent
        {
            EventId = Required(element, "id").GetGuid(),
            OccurredAt = new DateTimeOffset(Required(element, "at").GetDateTime().ToUniversalTime()),
            Action = ParseAction(Required(element, "action").GetString()),
            Collection = Required(element, "collection").GetString()!,
            DocumentId = Required(element, "documentId").GetString()!,
            Author = Required(element, "author").GetString()!,
            Reason = OptionalString(element, "reason"),
            Target = OptionalString(element, "target"),
            Before = Optional(element, "before"),
            After = Optional(element, "after"),
        };
    }

    private static JsonElement Required(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            throw new JsonException($"The audit event has no '{name}' property.");
        }

        return value;
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonObject? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? JsonObject.Create(value.Clone())
            : null;

    private static string ActionName(AuditAction action) => action switch
    {
        AuditAction.Create => "Create",
        AuditAction.Update => "Update",
        AuditAction.Delete => "Delete",
        AuditAction.Restore => "Restore",
        AuditAction.AuthenticationFailed => "AuthenticationFailed",
        AuditAction.AccessDenied => "AccessDenied",
        AuditAction.WriteRefused => "WriteRefused",
        AuditAction.SecurityEventsSuppressed => "SecurityEventsSuppressed",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown audit action."),
    };

    private static ReadOnlySpan<byte> ActionNameUtf8(AuditAction action) => action switch
    {
        AuditAction.Create => "Create"u8,
        AuditAction.Update => "Update"u8,
        AuditAction.Delete => "Delete"u8,
        AuditAction.Restore => "Restore"u8,
        AuditAction.AuthenticationFailed => "AuthenticationFailed"u8,
        AuditAction.AccessDenied => "AccessDenied"u8,
        AuditAction.WriteRefused => "WriteRefused"u8,
        AuditAction.SecurityEventsSuppressed => "SecurityEventsSuppressed"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown audit action."),
    };

    private static AuditAction ParseAction(string? name) => name switch
    {
        "Create" => AuditAction.Create,
        "Update" => AuditAction.Update,
        "Delete" => AuditAction.Delete,
        "Restore" => AuditAction.Restore,
        "AuthenticationFailed" => AuditAction.AuthenticationFailed,
        "AccessDenied" => AuditAction.AccessDenied,
        "WriteRefused" => AuditAction.WriteRefused,
        "SecurityEventsSuppressed" => AuditAction.SecurityEventsSuppressed,
        _ => throw new JsonException($"Unknown audit action '{name}'."),
    };
}
