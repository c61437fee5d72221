using System.Diagnostics.CodeAnalysis;

namespace Cosmos.Embeddings.Indexing;

/// <summary>How a <see cref="VectorIndex"/> scans its vectors during a search.</summary>
public enum VectorQuantization
{
    /// <summary>Every search computes exact float32 dot products over all vectors.</summary>
    None = 0,

    /// <summary>
    /// Searches scan an int8 copy of the vectors (symmetric, one scale per vector), keep the best
    /// <c>k · RescoreOversampling</c> candidates and rescore them exactly in float32. A quarter of the bytes
    /// per scan and in memory: the float32 copy used for rescoring is kept in a file (see <see cref="VectorIndexOptions.RescoreStorage"/>).
    /// </summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Int8 is the name users search for.")]
    Int8 = 1,
}
