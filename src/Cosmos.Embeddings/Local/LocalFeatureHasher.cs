using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text;

namespace Cosmos.Embeddings.Local;

/// <summary>
/// The feature-hashing kernel of <see cref="LocalEmbeddingGenerator"/>: normalises text into one buffer of
/// lower-cased words separated by single spaces, hashes spans of that buffer (never allocating a string per
/// token), counts equal features in a stack-allocated table and folds them into signed buckets with sub-linear
/// term frequency.
/// </summary>
internal static class LocalFeatureHasher
{
    // FNV-1a 64 over UTF-16 code units. A fixed, published hash keeps vectors identical across processes and
    // machines; string.GetHashCode is randomised per process and would make every saved index useless.
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    // Distinct start states per feature kind so that the word "abc" and the character trigram "abc" land in
    // different buckets.
    private const ulong WordSeed = FnvOffset;
    private const ulong BigramSeed = FnvOffset ^ 0x9E3779B97F4A7C15UL;
    private const ulong CharSeed = FnvOffset ^ 0xC2B2AE3D27D4EB4FUL;

    private const ulong KindWord = 0;
    private const ulong KindBigram = 1;
    private const ulong KindChar = 2;
    private const ulong KindMask = 3;
    private const ulong SignBit = 4;

    // Word features carry the most signal; character n-grams are many per word, so each counts half to keep
    // them from drowning the words while still matching inflections and typos.
    private const float WordWeight = 1.0f;
    private const float BigramWeight = 1.0f;
    private const float CharWeight = 0.5f;

    private const int StackChars = 512;
    private const int StackFeatures = 1024;
    private const int StackTableSlots = 1024;

    /// <summary>Writes the L2-normalised hashed embedding of <paramref name="text"/> into <paramref name="destination"/>.</summary>
    /// <remarks>Text without any letter or digit yields the zero vector.</remarks>
    public static void Embed(ReadOnlySpan<char> text, Span<float> destination, LocalEmbeddingOptions options)
    {
        destination.Clear();

        // NFKC folds compatibility forms (full-width letters, ligatures) to one spelling. ASCII is always
        // normalised, so the common case never allocates.
        if (!Ascii.IsValid(text))
        {
            string s = text.ToString();
            if (!s.IsNormalized(NormalizationForm.FormKC))
            {
                text = s.Normalize(NormalizationForm.FormKC).AsSpan();
            }
        }

        int bufferLength = text.Length + 2;
        char[]? rentedChars = null;
        Span<char> buffer = bufferLength <= StackChars
            ? stackalloc char[StackChars]
            : (rentedChars = ArrayPool<char>.Shared.Rent(bufferLength));

        int length = Normalise(text, buffer);
        if (length > 1)
        {
            int nGramKinds = options.UseCharacterNGrams ? options.MaxCharacterNGram - options.MinCharacterNGram + 1 : 0;
            // Per word: one unigram, one bigram and at most nGramKinds n-grams per padded position; padded words
            // together span fewer than twice the buffer, hence this bound.
            int capacity = checked((length * (2 + (2 * nGramKinds))) + 4);
            ulong[]? rentedFeatures = null;
            Span<ulong> features = capacity <= StackFeatures
                ? stackalloc ulong[StackFeatures]
                : (rentedFeatures = ArrayPool<ulong>.Shared.Rent(capacity));

            int count = CollectFeatures(buffer[..length], features, options);
            Accumulate(features[..count], destination);

            if (rentedFeatures is not null)
            {
                ArrayPool<ulong>.Shared.Return(rentedFeatures);
            }

            float norm = TensorPrimitives.Norm(destination);
            if (norm > 0f)
            {
                TensorPrimitives.Divide(destination, norm, destination);
            }
        }

        if (rentedChars is not null)
        {
            ArrayPool<char>.Shared.Return(rentedChars);
        }
    }

    /// <summary>
    /// Lower-cases letters and digits and collapses every run of other characters into one space, with a
    /// space before the first and after the last word, so each word span is bounded by spaces (the n-gram
    /// boundary markers) and each word pair is one contiguous span.
    /// </summary>
    private static int Normalise(ReadOnlySpan<char> text, Span<char> buffer)
    {
        int length = 0;
        buffer[length++] = ' ';
        foreach (char c in text)
        {
            // Surrogate halves are kept so scripts outside the BMP and emoji still form words.
            if (char.IsLetterOrDigit(c) || char.IsSurrogate(c) || IsCombiningMark(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
            else if (buffer[length - 1] != ' ')
            {
                buffer[length++] = ' ';
            }
        }

        if (buffer[length - 1] != ' ')
        {
            buffer[length++] = ' ';
        }

        return length;
    }

    private static bool IsCombiningMark(char c)
    {
        if (c < 0x300)
        {
            return false;
        }

        UnicodeCategory category = char.GetUnicodeCategory(c);
        return category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
    }

    private static int CollectFeatures(ReadOnlySpan<char> buffer, Span<ulong> features, LocalEmbeddingOptions options)
    {
        int count = 0;
        int previousStart = -1;
        int minN = options.MinCharacterNGram;
        int maxN = options.MaxCharacterNGram;
        int i = 1;
        while (i < buffer.Length)
        {
            int start = i;
            while (buffer[i] != ' ')
            {
                i++;
            }

            int end = i; // exclusive; buffer[end] is the separating space
            features[count++] = Feature(Hash(WordSeed, buffer[start..end]), KindWord);

            if (options.UseWordBigrams && previousStart >= 0)
            {
                features[count++] = Feature(Hash(BigramSeed, buffer[previousStart..end]), KindBigram);
            }

            if (options.UseCharacterNGrams)
            {
                // The spaces either side of the word are its boundary markers ("<word>" in fastText terms).
                ReadOnlySpan<char> padded = buffer[(start - 1)..(end + 1)];
                for (int s = 0; s < padded.Length; s++)
                {
                    ulong h = CharSeed;
                    int limit = Math.Min(maxN, padded.Length - s);
                    for (int n = 1; n <= limit; n++)
                    {
                        h = (h ^ padded[s + n - 1]) * FnvPrime;
                        if (n >= minN)
                        {
                            features[count++] = Feature(h, KindChar);
                        }
                    }
                }
            }

            previousStart = start;
            i++;
        }

        return count;
    }

    private static void Accumulate(ReadOnlySpan<ulong> features, Span<float> destination)
    {
        // Term frequencies come from a small open-addressing table (power of two, at most half full): no
        // dictionary, no allocation for short texts, O(1) per feature. Slots are visited in index order, so the
        // summation order, and therefore every bit of the vector, is the same in every run.
        int tableSize = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, features.Length * 2));
        int shift = 64 - BitOperations.Log2((uint)tableSize);
        ulong[]? rentedKeys = null;
        int[]? rentedCounts = null;
        Span<ulong> keys = tableSize <= StackTableSlots ? stackalloc ulong[StackTableSlots] : (rentedKeys = ArrayPool<ulong>.Shared.Rent(tableSize));
        Span<int> counts = tableSize <= StackTableSlots ? stackalloc int[StackTableSlots] : (rentedCounts = ArrayPool<int>.Shared.Rent(tableSize));
        keys = keys[..tableSize];
        counts = counts[..tableSize];
        counts.Clear();
        int mask = tableSize - 1;
        foreach (ulong f in features)
        {
            // Fibonacci hashing of the already mixed feature picks the home slot; linear probing resolves clashes.
            int slot = (int)((f * 0x9E3779B97F4A7C15UL) >> shift);
            while (counts[slot] != 0 && keys[slot] != f)
            {
                slot = (slot + 1) & mask;
            }

            keys[slot] = f;
            counts[slot]++;
        }

        ulong dims = (ulong)destination.Length;
        for (int slot = 0; slot < tableSize; slot++)
        {
            int tf = counts[slot];
            if (tf == 0)
            {
                continue;
            }

            ulong f = keys[slot];
            float weight = (f & KindMask) switch
            {
                KindWord => WordWeight,
                KindBigram => BigramWeight,
                _ => CharWeight,
            };

            // Sub-linear term frequency: 1 + ln(tf).
            float value = tf == 1 ? weight : weight * (1f + MathF.Log(tf));
            int bucket = (int)(((f >> 32) * dims) >> 32); // Lemire's multiply-shift range reduction
            destination[bucket] += (f & SignBit) != 0 ? -value : value;
        }

        if (rentedKeys is not null)
        {
            ArrayPool<ulong>.Shared.Return(rentedKeys);
            ArrayPool<int>.Shared.Return(rentedCounts!);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash(ulong seed, ReadOnlySpan<char> chars)
    {
        ulong h = seed;
        foreach (char c in chars)
        {
            h = (h ^ c) * FnvPrime;
        }

        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Feature(ulong hash, ulong kind)
    {
        // MurmurHash3's 64-bit finaliser spreads FNV's weak high bits before they pick the bucket and sign.
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        hash *= 0xC4CEB9FE1A85EC53UL;
        hash ^= hash >> 33;
        return (hash & ~KindMask) | kind;
    }
}
