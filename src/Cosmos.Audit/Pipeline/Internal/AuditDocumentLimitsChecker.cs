using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cosmos.Audit.Validators;

namespace Cosmos.Audit.Pipeline.Internal;

/// <summary>
/// Checks that a write can be recorded before it is stored: the ids and author are well-formed text of bounded length, and the
/// document is well-formed text, no deeper and no larger than <see cref="AuditDocumentLimits"/> allows.
/// </summary>
/// <remarks>
/// The audit record nests the document two levels below the event, and the JSON writer stops at depth 1,000; text with a lone
/// UTF-16 surrogate has no UTF-8 form and would be written as U+FFFD, so two different ids would be logged alike. Checking here,
/// before the store write, is what keeps "no stored change without its record" true.
/// </remarks>
internal static class AuditDocumentLimitsChecker
{
    public const string Name = "limits";

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static AuditValidationVerdict? Check(AuditDocumentLimits limits, string collection, string documentId, string author, JsonObject? after)
    {
        var idError = CheckText(limits, collection, "collection name") ?? CheckText(limits, documentId, "document id");
        if (idError is not null)
        {
            return AuditValidationVerdict.Refuse(Name, idError);
        }

        if (AuditTextRules.IndexOfInvalidText(author) is var bad and >= 0)
        {
            return AuditValidationVerdict.Refuse(Name, $"the user's name contains a lone UTF-16 surrogate at index {bad}");
        }

        if (after is null)
        {
            return null;
        }

        List<AuditValidationError>? errors = null;
        Walk(after, 1, limits.MaxDepth, string.Empty, ref errors);
        if (errors is not null)
        {
            return AuditValidationVerdict.Refuse(Name, "the document cannot be recorded as sent", errors);
        }

        var size = MeasureUtf8(after);
        return size > limits.MaxDocumentBytes
            ? AuditValidationVerdict.Refuse(Name, $"the document is {size} bytes of JSON; at most {limits.MaxDocumentBytes} are allowed")
            : null;
    }

    private static string? CheckText(AuditDocumentLimits limits, string text, string what)
    {
        if (text.Length > limits.MaxIdLength)
        {
            return $"the {what} is {text.Length} characters long; at most {limits.MaxIdLength} are allowed";
        }

        var bad = AuditTextRules.IndexOfInvalidText(text);
        return bad >= 0 ? $"the {what} contains a lone UTF-16 surrogate at index {bad}" : null;
    }

    private static void Walk(JsonNode? node, int depth, int maxDepth, string pointer, ref List<AuditValidationError>? errors)
    {
        if (errors is { Count: >= 16 })
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                if (depth > maxDepth)
                {
                    (errors ??= []).Add(new AuditValidationError(pointer, $"nested deeper than {maxDepth} levels"));
                    return;
                }

                foreach (var (name, child) in obj)
                {
                    var childPointer = pointer + "/" + Escape(name);
                    if (AuditTextRules.IndexOfInvalidText(name) is var bad and >= 0)
                    {
                        (errors ??= []).Add(new AuditValidationError(childPointer, string.Create(CultureInfo.InvariantCulture, $"the property name contains a lone UTF-16 surrogate at index {bad}")));
                    }

                    Walk(child, depth + 1, maxDepth, childPointer, ref errors);
                }

                break;
            case JsonArray array:
                if (depth > maxDepth)
                {
                    (errors ??= []).Add(new AuditValidationError(pointer, $"nested deeper than {maxDepth} levels"));
                    return;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], depth + 1, maxDepth, pointer + "/" + i.ToString(CultureInfo.InvariantCulture), ref errors);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                if (AuditTextRules.IndexOfInvalidText(value.GetValue<string>()) is var at and >= 0)
                {
                    (errors ??= []).Add(new AuditValidationError(pointer, string.Create(CultureInfo.InvariantCulture, $"the string contains a lone UTF-16 surrogate at index {at}")));
                }

                break;
        }
    }

    private static string Escape(string name) =>
        name.Contains('~', StringComparison.Ordinal) || name.Contains('/', StringComparison.Ordinal)
            ? name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)
            : name;

    private static long MeasureUtf8(JsonObject document)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer;
        if (writer is null)
        {
            writer = t_writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = 1000 });
        }
        else
        {
            writer.Reset(buffer);
        }

        document.WriteTo(writer);
        writer.Flush();
        var size = buffer.WrittenCount;

        // Do not keep a huge buffer alive on the thread after an unusually large document.
        if (buffer.Capacity > 1 << 20)
        {
            t_buffer = null;
            t_writer = null;
        }

        return size;
    }
}
