using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings;

/// <summary>Settings of the registered embedding pipeline: cache, batching and fallback chain.</summary>
public sealed partial class CosmosEmbeddingsOptions
{
    /// <summary>Gets or sets whether the offline <see cref="LocalEmbeddingGenerator"/> ends the fallback chain after the configured
    /// <c>Providers</c>. It is always used when no provider is configured. Its vectors are of another model than a hosted provider's,
    /// so with <see cref="ModelMixingPolicy.Fail"/> it only answers when the chain's first provider is local too.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool LocalFallback { get; set; } = true;

    /// <summary>Gets or sets the fallback chain's model mixing policy and per-provider circuit-breaker settings.</summary>
    /// <value>The default value is a <see cref="FallbackEmbeddingGeneratorOptions"/> with <see cref="ModelMixingPolicy.Fail"/> and a 50 % / 5 calls / 30 s breaker.</value>
    public FallbackEmbeddingGeneratorOptions Fallback { get; set; } = new();

    /// <summary>Gets or sets the batch limits and concurrency.</summary>
    /// <value>The default value is an <see cref="EmbeddingBatchingOptions"/> with 100 inputs per batch and 4 batches in flight.</value>
    public EmbeddingBatchingOptions Batching { get; set; } = new();

    /// <summary>Gets or sets whether the pipeline caches embeddings and coalesces identical in-flight requests.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CacheEnabled { get; set; } = true;

    /// <summary>Gets or sets the cache's size limit and time to live.</summary>
    /// <value>The default value is an <see cref="EmbeddingCacheOptions"/> holding up to 10,000 embeddings for 24 hours.</value>
    public EmbeddingCacheOptions Cache { get; set; } = new();

    /// <summary>Gets or sets a callback that adds Microsoft.Extensions.AI middleware around the Cosmos stages, outermost first,
    /// e.g. <c>b => b.UseOpenTelemetry().UseLogging().UseDistributedCache()</c>.</summary>
    /// <remarks>The registered generator is the host's middleware → <see cref="CachingEmbeddingGenerator"/> (when <see cref="CacheEnabled"/>)
    /// → <see cref="BatchingEmbeddingGenerator"/> → <see cref="FallbackEmbeddingGenerator"/> → providers, built with
    /// <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/> over the container, so middleware resolves its services from it.</remarks>
    /// <value>The default value is <see langword="null"/> (no extra middleware).</value>
    public Action<EmbeddingGeneratorBuilder<string, Embedding<float>>>? ConfigureMiddleware { get; set; }
}
