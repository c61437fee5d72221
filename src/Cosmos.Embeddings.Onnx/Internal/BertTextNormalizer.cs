using System.Globalization;
using System.Text;

namespace Cosmos.Embeddings.Onnx.Internal;

/// <summary>
/// BERT's basic tokenization exactly as Hugging Face's <c>BertTokenizer</c> (and so sentence-transformers, TEI and Ollama's
/// converted models) does it, producing words separated by single spaces for the WordPiece step.
/// </summary>
/// <remarks>
/// In order: drop NUL, U+FFFD and control characters; turn tab, newline, carriage return and space separators (Zs) into
/// spaces; put spaces around CJK ideographs; when lower-casing, lower-case and strip accents (NFD, drop non-spacing marks);
/// split punctuation (ASCII 33-47, 58-64, 91-96, 123-126 and every Unicode P* category) into words of its own.
/// Microsoft.ML.Tokenizers' own basic tokenization differs from it on tabs and newlines (dropped, gluing words) and on
/// symbols such as <c>$</c> and emoji (dropped instead of kept or mapped to <c>[UNK]</c>), which changes vectors.
/// </remarks>
internal static class BertTextNormalizer
{
    public static string Normalize(string text, bool lowerCase, bool stripAccents)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            if (value == 0 || value == 0xFFFD || IsControl(rune))
            {
                continue;
            }

            if (IsWhitespace(rune))
            {
                builder.Append(' ');
            }
            else if (IsCjk(value))
            {
                builder.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        var cleaned = builder.ToString();
        if (lowerCase)
        {
            cleaned = cleaned.ToLowerInvariant();
        }

        if (stripAccents)
        {
            var decomposed = cleaned.Normalize(NormalizationForm.FormD);
            builder.Clear();
            foreach (var c in decomposed)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                {
                    builder.Append(c);
                }
            }

            cleaned = builder.ToString();
        }

        builder.Clear();
        var atWordStart = true;
        foreach (var rune in cleaned.EnumerateRunes())
        {
            if (rune.Value == ' ')
            {
                atWordStart = true;
                continue;
            }

            if (IsPunctuation(rune))
            {
                if (builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(rune.ToString());
                atWordStart = true;
                continue;
            }

            if (atWordStart && builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(rune.ToString());
            atWordStart = false;
        }

        return builder.ToString();
    }

    private static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        var category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.Control or UnicodeCategory.Format;
    }

    private static bool IsPunctuation(Rune rune)
    {
        var value = rune.Value;
        if (value is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    // The CJK Unified Ideographs blocks as BERT defines them (Hangul, Hiragana and Katakana are not among them).
    private static bool IsCjk(int value) =>
        value is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B73F)
            or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
