using System.Diagnostics.Metrics;
using Cosmos.Embeddings;
using Cosmos.Embeddings.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.AI;

/// <summary>Adds the Cosmos.Embeddings stages to a Microsoft.Extensions.AI <see cref="EmbeddingGeneratorBuilder{TInput, TEmbedding}"/>,
/// where they compose with <c>UseOpenTelemetry</c>, <c>UseLogging</c>, <c>UseDistributedCache</c> and any other middleware.</summary>
/// <remarks>
/// Stages added first sit outermost. The order <c>AddCosmosEmbeddings</c> uses, and the one that fits most hosts:
/// <code>
/// new EmbeddingGeneratorBuilder&lt;string, Embedding&lt;float&gt;&gt;(primary)
///     .UseOpenTelemetry()                        // sees every request, cached or not
///     .UseCosmosCache()                          // in-memory hits and coalescing of identical in-flight requests
///     .UseCosmosBatching()                       // splits to the providers' limits, reports progress
///     .UseCosmosFallback(sp => [new FallbackProvider("local", local)])   // circuit-broken chain behind the primary
///     .Build(services);
/// </code>
/// Services (<see cref="TimeProvider"/>, <see cref="ILoggerFactory"/>, <see cref="IMeterFactory"/>) come from the provider passed to
/// <c>Build</c> when registered there.
/// </remarks>
public static class CosmosEmbeddingGeneratorBuilderExtensions
{
    /// <summary>Adds a <see cref="CachingEmbeddingGenerator"/>: a size-limited in-memory cache on the host's clock that also coalesces identical in-flight requests.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adjusts the size limit and time to live; optional.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseCosmosCache(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder,
        Action<EmbeddingCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new EmbeddingCacheOptions();
        configure?.Invoke(options);
        return builder.Use((inner, services) => new CachingEmbeddingGenerator(inner, options, services.GetService<TimeProvider>()));
    }

    /// <summary>Adds a <see cref="SharedCachingEmbeddingGenerator"/>: a second cache level in the host's
    /// <see cref="IDistributedCache"/> (Redis, for instance), shared by every instance and kept across restarts; entries are
    /// keyed by model, dimensions and input type and stored as raw little-endian float32.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="timeToLive">How long an entry lives; <see langword="null"/> for no expiry.</param>
    /// <param name="keyPrefix">The prefix of every key.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="IDistributedCache"/> is registered in the services passed to <c>Build</c>.</exception>
    /// <remarks>Place it after <see cref="UseCosmosCache"/> so in-memory hits never reach the network.</remarks>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseCosmosSharedCache(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder,
        TimeSpan? timeToLive = null,
        string keyPrefix = "cosmos:embedding")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new SharedCachingEmbeddingGenerator(
            inner, services.GetRequiredService<IDistributedCache>(), timeToLive, keyPrefix));
    }

    /// <summary>Adds a <see cref="BatchingEmbeddingGenerator"/>: refuses blank inputs before any request, splits requests to the
    /// configured and the providers' limits, runs batches concurrently and reports <see cref="EmbeddingBatchProgress"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adjusts batch size, token budget and concurrency; optional.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseCosmosBatching(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder,
        Action<EmbeddingBatchingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new EmbeddingBatchingOptions();
        configure?.Invoke(options);
        return builder.Use((inner, services) => new BatchingEmbeddingGenerator(
            inner, options, services.GetService<ILoggerFactory>(), services.GetService<IMeterFactory>()));
    }

    /// <summary>Adds a <see cref="FallbackEmbeddingGenerator"/>: the generator built so far is the first provider, each behind its own
    /// circuit breaker, and <paramref name="fallbacks"/> answer in order when it fails.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="fallbacks">Creates the providers asked after the inner generator, in order; the chain owns and disposes them.</param>
    /// <param name="configure">Adjusts model mixing and the breakers; optional.</param>
    /// <param name="primaryName">The inner generator's name in the chain; <see langword="null"/> for its metadata's provider name, else <c>primary</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="fallbacks"/> is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseCosmosFallback(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder,
        Func<IServiceProvider, IEnumerable<FallbackProvider>> fallbacks,
        Action<FallbackEmbeddingGeneratorOptions>? configure = null,
        string? primaryName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(fallbacks);
        var options = new FallbackEmbeddingGeneratorOptions();
        configure?.Invoke(options);
        return builder.Use((inner, services) =>
        {
            var name = primaryName ?? inner.GetService<EmbeddingGeneratorMetadata>()?.ProviderName ?? "primary";
            return new FallbackEmbeddingGenerator(
                [new FallbackProvider(name, inner), .. fallbacks(services)],
                options,
                services.GetService<TimeProvider>(),
                services.GetService<ILoggerFactory>(),
                services.GetService<IMeterFactory>());
        });
    }
}
