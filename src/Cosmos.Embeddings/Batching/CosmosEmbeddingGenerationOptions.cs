using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Batching;

/// <summary>Generation options that carry typed Cosmos settings past any Microsoft.Extensions.AI middleware, without putting
/// objects in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> (where a cache would hash them into its key).</summary>
/// <remarks>Middleware that passes the options object on (logging, OpenTelemetry, distributed caching) keeps these settings;
/// <see cref="Clone"/> keeps them too. They are not part of any cache key.</remarks>
public sealed class CosmosEmbeddingGenerationOptions : EmbeddingGenerationOptions
{
    /// <summary>Creates empty options.</summary>
    public CosmosEmbeddingGenerationOptions()
    {
    }

    /// <summary>Creates a copy of <paramref name="other"/>, keeping its progress when it is a <see cref="CosmosEmbeddingGenerationOptions"/>.</summary>
    /// <param name="other">The options to copy; <see langword="null"/> for empty options.</param>
    public CosmosEmbeddingGenerationOptions(EmbeddingGenerationOptions? other)
        : base(other)
    {
        Progress = (other as CosmosEmbeddingGenerationOptions)?.Progress;
    }

    /// <summary>Gets or sets where a <see cref="BatchingEmbeddingGenerator"/> reports <see cref="EmbeddingBatchProgress"/> as batches finish;
    /// a <see cref="CachingEmbeddingGenerator"/> in front of it counts cache hits as completed.</summary>
    /// <value>The default value is <see langword="null"/> (no reports).</value>
    public IProgress<EmbeddingBatchProgress>? Progress { get; set; }

    /// <inheritdoc />
    public override EmbeddingGenerationOptions Clone() => new CosmosEmbeddingGenerationOptions(this);
}
