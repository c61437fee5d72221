using System.Diagnostics.Metrics;
using Cosmos.Embeddings.Providers;
using Cosmos.Embeddings.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings;

/// <summary>Composes the registered pipeline: the host's middleware → cache → batching → fallback chain → providers.</summary>
internal static class EmbeddingPipelineFactory
{
    public static IEmbeddingGenerator<string, Embedding<float>> Create(IServiceProvider serviceProvider)
    {
        var options = serviceProvider.GetRequiredService<IOptions<CosmosEmbeddingsOptions>>().Value;
        var timeProvider = serviceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        var loggerFactory = serviceProvider.GetService<ILoggerFactory>();
        var telemetry = serviceProvider.GetRequiredService<EmbeddingsMetrics>();

        var providers = new List<FallbackProvider>();
        foreach (var entry in options.Providers)
        {
            providers.Add(new FallbackProvider(entry.Name, EmbeddingProviderFactory.Create(entry, serviceProvider)) { ModelSpace = entry.EffectiveModelSpace });
        }

        if ((providers.Count == 0 || options.LocalFallback)
            && !providers.Exists(p => p.Name == LocalEmbeddingGenerator.ProviderName))
        {
            // The embedded default: works offline with no download, and is the last resort behind hosted providers.
            var local = serviceProvider.GetService<LocalEmbeddingGenerator>() ?? new LocalEmbeddingGenerator(options.Local, timeProvider);
            providers.Add(new FallbackProvider(LocalEmbeddingGenerator.ProviderName, local));
        }

        var chain = new FallbackEmbeddingGenerator([.. providers], options.Fallback, timeProvider, loggerFactory, telemetry, ownsProviders: true);

        // Built the way a host composes Microsoft.Extensions.AI middleware: the host's stages (OpenTelemetry, logging, a distributed
        // cache) outermost, then the in-memory cache, then batching in front of the chain.
        var builder = new EmbeddingGeneratorBuilder<string, Embedding<float>>(chain);
        options.ConfigureMiddleware?.Invoke(builder);
        if (options.CacheEnabled)
        {
            builder.Use(inner => new CachingEmbeddingGenerator(inner, options.Cache, timeProvider));
        }

        builder.Use(inner => new BatchingEmbeddingGenerator(inner, options.Batching, loggerFactory, telemetry));
        return builder.Build(serviceProvider);
    }

    public static EmbeddingsMetrics CreateTelemetry(IServiceProvider serviceProvider) =>
        new(serviceProvider.GetService<IMeterFactory>());
}
