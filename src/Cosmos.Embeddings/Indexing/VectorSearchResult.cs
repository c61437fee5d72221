namespace Cosmos.Embeddings.Indexing;

/// <summary>One hit of a <see cref="VectorIndex"/> search.</summary>
/// <param name="Id">The id the vector was added under.</param>
/// <param name="Score">The cosine similarity to the query, in [-1, 1]: the dot product of the two L2-normalised vectors.</param>
/// <param name="Metadata">The metadata stored with the vector; empty when none was given.</param>
public readonly record struct VectorSearchResult(string Id, float Score, IReadOnlyDictionary<string, string> Metadata);
