using Cosmos.Embeddings;
using Cosmos.Embeddings.Internal.Validators;
using Cosmos.Embeddings.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the composed embedding pipeline.</summary>
public static partial class CosmosEmbeddingsServiceCollectionExtensions
{
    static partial void AddPipeline(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosEmbeddingsOptions>, CosmosEmbeddingsOptionsAnnotationsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosEmbeddingsOptions>, EmbeddingPipelineOptionsValidator>());
        services.TryAddSingleton(static sp => EmbeddingPipelineFactory.CreateTelemetry(sp));

        // One composed generator: cache → batching → fallback chain → the configured providers (or the local one).
        services.TryAddSingleton(static sp => EmbeddingPipelineFactory.Create(sp));
    }
}
