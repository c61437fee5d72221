using System.Text.Json.Nodes;

namespace Cosmos.Audit.Validators.Internal;

/// <summary>Applies the redactions validators asked for in the audit record only (<see cref="AuditCommitContext.RedactInAuditRecord"/>).</summary>
internal static class AuditRecordRedaction
{
    public const string Placeholder = "[redacted]";

    public static (JsonObject? Before, JsonObject After) Apply(AuditCommitContext context, JsonObject? before, JsonObject after)
    {
        var redactions = context.AuditRedactions;
        if (redactions.Count == 0)
        {
            return (before, after);
        }

        // The stored before-document is shared with the caller's result: redact a copy.
        JsonObject? beforeCopy = null;
        foreach (var (inAfter, pointer) in redactions)
        {
            if (inAfter)
            {
                Replace(after, pointer);
            }
            else if (before is not null)
            {
                beforeCopy ??= (JsonObject)before.DeepClone();
                Replace(beforeCopy, pointer);
            }
        }

        return (beforeCopy ?? before, after);
    }

    /// <summary>Replaces the value at an RFC 6901 pointer with the placeholder; a pointer that leads nowhere is ignored.</summary>
    public static void Replace(JsonNode root, string pointer, JsonNode? replacement = null)
    {
        if (pointer.Length == 0 || pointer[0] != '/')
        {
            return;
        }

        var segments = pointer[1..].Split('/');
        var node = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            var last = i == segments.Length - 1;
            switch (node)
            {
                case JsonObject obj when obj.ContainsKey(segment):
                    if (last)
                    {
                        obj[segment] = replacement ?? JsonValue.Create(Placeholder);
                        return;
                    }

                    node = obj[segment];
                    break;
                case JsonArray array when int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < array.Count:
                    if (last)
                    {
                        array[index] = replacement ?? JsonValue.Create(Placeholder);
                        return;
                    }

                    node = array[index];
                    break;
                default:
                    return;
            }
        }
    }
}
