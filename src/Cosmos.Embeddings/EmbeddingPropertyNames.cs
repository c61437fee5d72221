namespace Cosmos.Embeddings;

/// <summary>Keys that Cosmos.Embeddings writes to and reads from <c>AdditionalProperties</c> of embeddings and generation options.</summary>
public static class EmbeddingPropertyNames
{
    /// <summary>On an <c>Embedding</c>: the name of the provider that answered, e.g. <c>"openai"</c> or <c>"local"</c>.</summary>
    public const string Provider = "cosmos.provider";

    /// <summary>On an <c>Embedding</c>: the model space the vector belongs to, written <c>"{modelSpace}/{dimensions}"</c> where the space is the provider's declared <c>ModelSpace</c> (by default its model id); vectors are comparable only within one model space.</summary>
    public const string ModelSpace = "cosmos.model_space";

    /// <summary>On an <c>Embedding</c>: <see langword="true"/> when a fallback provider (not the first in the chain) answered.</summary>
    public const string IsFallback = "cosmos.fallback";

    /// <summary>On an <c>Embedding</c>: <see langword="true"/> when the input was longer than the model's sequence length and only its first tokens were embedded.</summary>
    public const string Truncated = "cosmos.truncated";

    /// <summary>On an <c>Embedding</c> that was truncated: the input's full token count (an <see cref="int"/>), special tokens included.</summary>
    public const string TokenCount = "cosmos.token_count";

    /// <summary>On generation options: the input type (e.g. Cohere's <c>search_document</c> or <c>search_query</c>), part of the cache key.</summary>
    public const string InputType = "input_type";
}
