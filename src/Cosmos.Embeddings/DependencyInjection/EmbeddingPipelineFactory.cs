using System.Diagnostics.Metrics;
using Cosmos.Embeddings.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings;

/// <summary>Composes the registered pipeline: cache → batching → fallback chain → providers.</summary>
internal static class EmbeddingPipelineFactory
{
    /// <summary>String keys of keyed <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> registrations, in registration order.</summary>
    public static List<string> RegisteredProviderNames(IServiceCollection services)
    {
        var names = new List<string>();
        foreach (var descriptor in services)
        {
            if (descriptor.IsKeyedService
                && descriptor.ServiceType == typeof(IEmbeddingGenerator<string, Embedding<float>>)
                && descriptor.ServiceKey is string name
                && !names.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>The chain order: the configured order, or every registered provider with the local one moved last.</summary>
    public static List<string> ResolveOrder(CosmosEmbeddingsOptions options, IServiceCollection services)
    {
        if (options.FallbackOrder.Count > 0)
        {
            return [.. options.FallbackOrder];
        }

        var names = RegisteredProviderNames(services);
        if (names.Remove(LocalEmbeddingGenerator.ProviderName))
        {
            // The offline provider is the last resort, never the first choice when a hosted one is configured.
            names.Add(LocalEmbeddingGenerator.ProviderName);
        }

        return names;
    }

    public static IEmbeddingGenerator<string, Embedding<float>> Create(IServiceProvider serviceProvider, IServiceCollection services)
    {
        var options = serviceProvider.GetRequiredService<IOptions<CosmosEmbeddingsOptions>>().Value;
        var timeProvider = serviceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        var loggerFactory = serviceProvider.GetService<ILoggerFactory>();
        var telemetry = serviceProvider.GetRequiredService<EmbeddingsTelemetry>();

        var providers = new List<FallbackProvider>();
        foreach (var name in ResolveOrder(options, services))
        {
            var generator = serviceProvider.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(name);
            providers.Add(new FallbackProvider(name, generator));
        }

        if (providers.Count == 0)
        {
            // Nothing registered at all: the embedded default still works offline.
            var local = serviceProvider.GetService<LocalEmbeddingGenerator>() ?? new LocalEmbeddingGenerator(options.Local, timeProvider);
            providers.Add(new FallbackProvider(LocalEmbeddingGenerator.ProviderName, local));
        }

        IEmbeddingGenerator<string, Embedding<float>> pipeline = new FallbackEmbeddingGenerator(
            [.. providers], options.Fallback, timeProvider, loggerFactory, telemetry, ownsProviders: false);
        pipeline = new BatchingEmbeddingGenerator(pipeline, options.Batching, loggerFactory, telemetry);
        if (options.CacheEnabled)
        {
            pipeline = new CachingEmbeddingGenerator(pipeline, options.Cache);
        }

        return pipeline;
    }

    public static EmbeddingsTelemetry CreateTelemetry(IServiceProvider serviceProvider) =>
        new(serviceProvider.GetService<IMeterFactory>());
}
