namespace Cosmos.Audit.Pipeline.Internal;

/// <summary>Text the audit log can record faithfully: UTF-16 without lone surrogates (UTF-8 has no encoding for them, so a
/// writer would replace them with U+FFFD and two different ids would be logged alike).</summary>
internal static class AuditTextRules
{
    /// <summary>Returns the index of the first lone surrogate in <paramref name="text"/>, or -1 when the text is well formed.</summary>
    public static int IndexOfInvalidText(ReadOnlySpan<char> text)
    {
        // Fast path: most text has no surrogates at all.
        var first = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0)
        {
            return -1;
        }

        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }
}
