namespace Cosmos.Embeddings.Providers;

/// <summary>Keys that callers may set in <c>EmbeddingGenerationOptions.AdditionalProperties</c> to steer one request.</summary>
public static class EmbeddingRequestProperties
{
    /// <summary>The input type for providers that embed documents and queries differently (Cohere <c>input_type</c>,
    /// Voyage AI <c>input_type</c>, Vertex AI <c>task_type</c>); a <see cref="string"/> that overrides the configured value for one call.</summary>
    public const string InputType = "input_type";
}
