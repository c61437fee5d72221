using System.ComponentModel.DataAnnotations;

namespace Cosmos.Embeddings.Local;

/// <summary>Settings of the offline <see cref="LocalEmbeddingGenerator"/> (feature hashing of word and character n-grams).</summary>
public sealed class LocalEmbeddingOptions
{
    /// <summary>The smallest accepted <see cref="Dimensions"/>.</summary>
    public const int MinDimensions = 8;

    /// <summary>The largest accepted <see cref="Dimensions"/>.</summary>
    public const int MaxDimensions = 65_536;

    /// <summary>The largest accepted character n-gram length.</summary>
    public const int MaxNGramLength = 16;

    /// <summary>Gets or sets the length of the produced vectors (the number of hash buckets).</summary>
    /// <value>The default value is 384.</value>
    [Range(MinDimensions, MaxDimensions)]
    public int Dimensions { get; set; } = 384;

    /// <summary>Gets or sets a value indicating whether adjacent word pairs (bigrams) are features.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseWordBigrams { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether character n-grams inside each word (with word-boundary markers) are features.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseCharacterNGrams { get; set; } = true;

    /// <summary>Gets or sets the shortest character n-gram, counting the boundary markers around a word.</summary>
    /// <value>The default value is 3.</value>
    [Range(1, MaxNGramLength)]
    public int MinCharacterNGram { get; set; } = 3;

    /// <summary>Gets or sets the longest character n-gram, counting the boundary markers around a word.</summary>
    /// <value>The default value is 5.</value>
    [Range(1, MaxNGramLength)]
    public int MaxCharacterNGram { get; set; } = 5;

    /// <summary>Throws when a setting is out of range, naming the setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="MinCharacterNGram"/> is greater than <see cref="MaxCharacterNGram"/>.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Dimensions, MinDimensions, nameof(Dimensions));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Dimensions, MaxDimensions, nameof(Dimensions));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinCharacterNGram, 1, nameof(MinCharacterNGram));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinCharacterNGram, MaxNGramLength, nameof(MinCharacterNGram));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCharacterNGram, 1, nameof(MaxCharacterNGram));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxCharacterNGram, MaxNGramLength, nameof(MaxCharacterNGram));
        if (MinCharacterNGram > MaxCharacterNGram)
        {
            throw new ArgumentException(
                $"{nameof(MinCharacterNGram)} ({MinCharacterNGram}) must not be greater than {nameof(MaxCharacterNGram)} ({MaxCharacterNGram}).",
                nameof(MinCharacterNGram));
        }
    }

    internal LocalEmbeddingOptions Clone() => (LocalEmbeddingOptions)MemberwiseClone();
}
