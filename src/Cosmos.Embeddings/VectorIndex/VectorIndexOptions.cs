using System.ComponentModel.DataAnnotations;

namespace Cosmos.Embeddings;

/// <summary>Storage settings of a <see cref="VectorIndex"/>.</summary>
public sealed class VectorIndexOptions
{
    /// <summary>The largest accepted <see cref="RescoreOversampling"/>.</summary>
    public const int MaxRescoreOversampling = 64;

    /// <summary>Gets or sets how searches scan the stored vectors.</summary>
    /// <value>The default value is <see cref="VectorQuantization.None"/>.</value>
    public VectorQuantization Quantization { get; set; } = VectorQuantization.None;

    /// <summary>Gets or sets how many int8 candidates per requested result are rescored exactly (only with <see cref="VectorQuantization.Int8"/>).</summary>
    /// <value>The default value is 4: a top-10 search rescores the 40 best int8 candidates.</value>
    [Range(1, MaxRescoreOversampling)]
    public int RescoreOversampling { get; set; } = 4;

    /// <summary>Gets or sets the number of vectors to reserve room for up front, avoiding regrowth while loading a known corpus.</summary>
    /// <value>The default value is 0.</value>
    [Range(0, int.MaxValue)]
    public int InitialCapacity { get; set; }

    /// <summary>Throws when a setting is out of range, naming the setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Quantization))
        {
            throw new ArgumentOutOfRangeException(nameof(Quantization), Quantization, "Unknown quantization.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(RescoreOversampling, 1, nameof(RescoreOversampling));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RescoreOversampling, MaxRescoreOversampling, nameof(RescoreOversampling));
        ArgumentOutOfRangeException.ThrowIfNegative(InitialCapacity, nameof(InitialCapacity));
    }

    internal VectorIndexOptions Clone() => (VectorIndexOptions)MemberwiseClone();
}
