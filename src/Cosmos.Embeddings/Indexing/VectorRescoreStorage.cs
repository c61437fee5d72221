namespace Cosmos.Embeddings.Indexing;

/// <summary>Where an int8 <see cref="VectorIndex"/> keeps the exact float32 copy it rescores its candidates from.</summary>
public enum VectorRescoreStorage
{
    /// <summary>In a file (<see cref="VectorIndexOptions.RescoreFilePath"/>, else a temporary one): memory holds only the int8 codes,
    /// and each search reads its <c>k · RescoreOversampling</c> candidate rows back, usually from the operating system's page cache.</summary>
    File = 0,

    /// <summary>In memory beside the codes: the fastest rescoring, at 1.25 times a float index's memory.</summary>
    Memory = 1,
}
