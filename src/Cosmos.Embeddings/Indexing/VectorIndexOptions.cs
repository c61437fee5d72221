using System.ComponentModel.DataAnnotations;

namespace Cosmos.Embeddings.Indexing;

/// <summary>Storage settings of a <see cref="VectorIndex"/>.</summary>
public sealed class VectorIndexOptions
{
    /// <summary>The largest accepted <see cref="RescoreOversampling"/>.</summary>
    public const int MaxRescoreOversampling = 64;

    /// <summary>Gets or sets how searches scan the stored vectors.</summary>
    /// <value>The default value is <see cref="VectorQuantization.None"/>.</value>
    public VectorQuantization Quantization { get; set; } = VectorQuantization.None;

    /// <summary>Gets or sets where an int8 index keeps the float32 copy it rescores candidates from.</summary>
    /// <value>The default value is <see cref="VectorRescoreStorage.File"/>: the index holds the int8 codes in memory (about a quarter
    /// of a float index) and reads the few candidate rows of each search from a file.</value>
    public VectorRescoreStorage RescoreStorage { get; set; } = VectorRescoreStorage.File;

    /// <summary>Gets or sets the file of <see cref="VectorRescoreStorage.File"/>; it is overwritten, and kept when the index is disposed.</summary>
    /// <value>The default value is <see langword="null"/>: a temporary file, deleted when the index is disposed.</value>
    public string? RescoreFilePath { get; set; }

    /// <summary>Gets or sets how many int8 candidates per requested result are rescored exactly (only with <see cref="VectorQuantization.Int8"/>).</summary>
    /// <value>The default value is 4: a top-10 search rescores the 40 best int8 candidates.</value>
    [Range(1, MaxRescoreOversampling)]
    public int RescoreOversampling { get; set; } = 4;

    /// <summary>Gets or sets the number of vectors to reserve room for up front, avoiding regrowth while loading a known corpus.</summary>
    /// <value>The default value is 0.</value>
    [Range(0, int.MaxValue)]
    public int InitialCapacity { get; set; }

    /// <summary>Gets or sets the most threads one search scans with. A search over a large index splits its rows into contiguous
    /// ranges scanned in parallel (at least 32,768 rows each) and merges their best; results are the same as a single-threaded scan.</summary>
    /// <value>The default value is <see langword="null"/>: one per logical processor (<see cref="Environment.ProcessorCount"/>).
    /// 1 scans on the calling thread only.</value>
    [Range(1, 1024)]
    public int? MaxDegreeOfParallelism { get; set; }

    /// <summary>Throws when a setting is out of range, naming the setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    internal void Validate()
    {
        if (!Enum.IsDefined(Quantization))
        {
            throw new ArgumentOutOfRangeException(nameof(Quantization), Quantization, "Unknown quantization.");
        }

        if (!Enum.IsDefined(RescoreStorage))
        {
            throw new ArgumentOutOfRangeException(nameof(RescoreStorage), RescoreStorage, "Unknown rescore storage.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(RescoreOversampling, 1, nameof(RescoreOversampling));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RescoreOversampling, MaxRescoreOversampling, nameof(RescoreOversampling));
        ArgumentOutOfRangeException.ThrowIfNegative(InitialCapacity, nameof(InitialCapacity));
        if (MaxDegreeOfParallelism is { } threads)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1, nameof(MaxDegreeOfParallelism));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, 1024, nameof(MaxDegreeOfParallelism));
        }
    }

    internal VectorIndexOptions Clone() => (VectorIndexOptions)MemberwiseClone();
}
