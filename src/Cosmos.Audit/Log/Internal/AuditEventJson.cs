using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cosmos.Audit.Log.Internal;

/// <summary>Writes and reads the JSON form of an <see cref="AuditEvent"/> (fixed property order, UTC timestamps).</summary>
internal static class AuditEventJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

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
        var writer = t_writer;
        if (writer is null)
        {
            writer = t_writer = new Utf8JsonWriter(buffer, WriterOptions);
        }
        else
        {
            writer.Reset(buffer);
        }

        Write(writer, auditEvent);
        writer.Flush();
        length = buffer.WrittenCount;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        buffer.WrittenSpan.CopyTo(rented);
        return rented;
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
