using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Cosmos.Audit.Users;

namespace Cosmos.Audit.Authors;

/// <summary>Formats and parses the unsigned part of an author string.</summary>
/// <remarks>
/// Layout: <c>username (user id)[ [service]][ [delegated|on_behalf_of:X[|reason:Y]]]|verified|ts:yyyy-MM-ddTHH:mm:ssZ</c>,
/// then <c>|sig:&lt;kid&gt;.&lt;base64url HMAC-SHA256&gt;</c>. Inside names, every separator (<c>% | ( ) [ ] : \</c>), control
/// character, line or paragraph separator, bidirectional override and lone surrogate is percent-escaped: ASCII as <c>%XX</c>,
/// others as <c>%uXXXX</c> (upper-case hex). Escaped text therefore never contains a structural character, and parsing
/// accepts only the canonical form (the parsed author must format back to the exact same text).
/// </remarks>
internal static class AuthorStringFormat
{
    internal const string VerifiedMarker = "|verified|ts:";
    internal const string SignatureMarker = "|sig:";
    internal const string ServiceMarker = " [service]";
    internal const string DelegationStart = " [delegated|on_behalf_of:";
    internal const string ReasonMarker = "|reason:";
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";
    private const int TimestampLength = 20;

    public static string FormatPayload(Author author)
    {
        var builder = new StringBuilder(96);
        Escape(builder, author.Username);
        builder.Append(" (");
        Escape(builder, author.UserId);
        builder.Append(')');
        if (author.IsServiceAccount)
        {
            builder.Append(ServiceMarker);
        }

        if (author.Delegation is { } delegation)
        {
            builder.Append(DelegationStart);
            Escape(builder, delegation.OnBehalfOf);
            if (delegation.Reason is { } reason)
            {
                builder.Append(ReasonMarker);
                Escape(builder, reason);
            }

            builder.Append(']');
        }

        builder.Append(VerifiedMarker);
        builder.Append(author.SignedAt.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture));
        return builder.ToString();
    }

    /// <summary>Parses the unsigned part; succeeds only for text that <see cref="FormatPayload"/> would produce.</summary>
    public static bool TryParsePayload(string payload, [NotNullWhen(true)] out Author? author)
    {
        author = null;
        var text = payload.AsSpan();
        if (text.Length < VerifiedMarker.Length + TimestampLength + 4)
        {
            return false;
        }

        var timestamp = text[^TimestampLength..];
        var head = text[..^TimestampLength];
        if (!head.EndsWith(VerifiedMarker, StringComparison.Ordinal)
            || !DateTimeOffset.TryParseExact(timestamp, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            return false;
        }

        head = head[..^VerifiedMarker.Length];
        var open = head.IndexOf('(');
        if (open < 2 || head[open - 1] != ' ')
        {
            return false;
        }

        var close = head[open..].IndexOf(')') + open;
        if (close <= open + 1)
        {
            return false;
        }

        if (!TryUnescape(head[..(open - 1)], out var username) || !TryUnescape(head[(open + 1)..close], out var userId))
        {
            return false;
        }

        var rest = head[(close + 1)..];
        var isService = false;
        if (rest.StartsWith(ServiceMarker, StringComparison.Ordinal))
        {
            isService = true;
            rest = rest[ServiceMarker.Length..];
        }

        Delegation? delegation = null;
        if (rest.StartsWith(DelegationStart, StringComparison.Ordinal) && rest[^1] == ']')
        {
            var inner = rest[DelegationStart.Length..^1];
            var bar = inner.IndexOf('|');
            var onBehalfOfText = bar < 0 ? inner : inner[..bar];
            string? reason = null;
            if (bar >= 0
                && (!inner[bar..].StartsWith(ReasonMarker, StringComparison.Ordinal)
                    || !TryUnescape(inner[(bar + ReasonMarker.Length)..], out reason)))
            {
                return false;
            }

            if (!TryUnescape(onBehalfOfText, out var onBehalfOf))
            {
                return false;
            }

            delegation = new Delegation(onBehalfOf, reason);
            rest = [];
        }

        if (!rest.IsEmpty)
        {
            return false;
        }

        var parsed = new Author(username, userId, signedAt) { IsServiceAccount = isService, Delegation = delegation };

        // Only the canonical text is accepted, so every author has exactly one author string per signing time.
        if (!string.Equals(FormatPayload(parsed), payload, StringComparison.Ordinal))
        {
            return false;
        }

        author = parsed;
        return true;
    }

    private static bool MustEscape(char c) =>
        c is '%' or '|' or '(' or ')' or '[' or ']' or ':' or '\\'
            or '\u2028' or '\u2029' or '\u200E' or '\u200F'
            or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')
        || char.IsControl(c);

    private static void Escape(StringBuilder builder, string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c) || (MustEscape(c) && c >= 0x80))
            {
                builder.Append("%u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else if (MustEscape(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
    }

    private static bool TryUnescape(ReadOnlySpan<char> text, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (text.IsEmpty)
        {
            return false;
        }

        if (text.IndexOf('%') < 0)
        {
            value = text.ToString();
            return true;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                builder.Append(text[i]);
                continue;
            }

            var wide = i + 1 < text.Length && text[i + 1] == 'u';
            var start = wide ? i + 2 : i + 1;
            var digits = wide ? 4 : 2;
            if (start + digits > text.Length
                || !int.TryParse(text.Slice(start, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                return false;
            }

            builder.Append((char)code);
            i = start + digits - 1;
        }

        value = builder.ToString();
        return true;
    }
}
