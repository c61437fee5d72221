using System.Text;

namespace Cosmos.Embeddings.Tests.Local;

/// <summary>
/// A deliberately plain restatement of the documented local-provider algorithm (strings, Split, Dictionary):
/// the oracle the allocation-free implementation must match.
/// </summary>
internal static class NaiveFeatureHasher
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public static float[] Embed(string text, int dimensions, int minN = 3, int maxN = 5, bool bigrams = true, bool chars = true)
    {
        text = text.Normalize(NormalizationForm.FormKC);
        var cleaned = new StringBuilder();
        foreach (char c in text)
        {
            bool wordChar = char.IsLetterOrDigit(c) || char.IsSurrogate(c)
                || (c >= 0x300 && char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark);
            cleaned.Append(wordChar ? char.ToLowerInvariant(c) : ' ');
        }

        string[] words = cleaned.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var counts = new Dictionary<(int Kind, ulong Hash), int>();
        void Count(int kind, ulong seed, string s)
        {
            ulong h = seed;
            foreach (char c in s)
            {
                h = (h ^ c) * FnvPrime;
            }

            var key = (kind, h);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        for (int i = 0; i < words.Length; i++)
        {
            Count(0, FnvOffset, words[i]);
            if (bigrams && i > 0)
            {
                Count(1, FnvOffset ^ 0x9E3779B97F4A7C15UL, words[i - 1] + " " + words[i]);
            }

            if (chars)
            {
                string padded = " " + words[i] + " ";
                for (int n = minN; n <= maxN; n++)
                {
                    for (int s = 0; s + n <= padded.Length; s++)
                    {
                        Count(2, FnvOffset ^ 0xC2B2AE3D27D4EB4FUL, padded.Substring(s, n));
                    }
                }
            }
        }

        var vector = new float[dimensions];
        foreach (var ((kind, hash), tf) in counts)
        {
            ulong f = Mix(hash);
            float weight = kind == 2 ? 0.5f : 1f;
            float value = weight * (1f + MathF.Log(tf));
            int bucket = (int)(((f >> 32) * (ulong)dimensions) >> 32);
            vector[bucket] += (f & 4) != 0 ? -value : value;
        }

        double norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        if (norm > 0)
        {
            for (int i = 0; i < vector.Length; i++)
            {
                vector[i] = (float)(vector[i] / norm);
            }
        }

        return vector;
    }

    private static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 33;
        return h;
    }
}
