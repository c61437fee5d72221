namespace Cosmos.Embeddings.Fallback;

/// <summary>What a fallback chain does when the provider that would answer produces vectors of another model or dimension than the chain's first provider.</summary>
public enum ModelMixingPolicy
{
    /// <summary>Never use such a provider: it is skipped, and when no compatible provider answers the request fails with <see cref="EmbeddingModelMismatchException"/>. The default.</summary>
    Fail = 0,

    /// <summary>Use it, and tag every embedding with its model (<c>ModelId</c>) and model space (<see cref="EmbeddingPropertyNames.ModelSpace"/>) so an index keeps the vector spaces apart.</summary>
    Tag = 1,
}
