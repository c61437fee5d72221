using Cosmos.Embeddings;
using Cosmos.Embeddings.Internal.Validators;
using Cosmos.Embeddings.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.VectorData;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the offline local provider and the vector index factory.</summary>
public static partial class CosmosEmbeddingsServiceCollectionExtensions
{
    static partial void AddVectorIndex(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosEmbeddingsOptions>, LocalAndVectorIndexOptionsValidator>());

        services.TryAddSingleton(static sp => new LocalEmbeddingGenerator(
            sp.GetRequiredService<IOptions<CosmosEmbeddingsOptions>>().Value.Local,
            sp.GetService<TimeProvider>()));

        // Keyed by provider name so a fallback chain can resolve the local provider next to the hosted ones.
        services.TryAddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
            LocalEmbeddingGenerator.ProviderName,
            static (sp, _) => sp.GetRequiredService<LocalEmbeddingGenerator>());

        services.TryAddSingleton(static sp => new VectorIndexFactory(
            sp.GetRequiredService<IOptions<CosmosEmbeddingsOptions>>().Value.VectorIndex));

        // The index as a Microsoft.Extensions.VectorData store; text searches embed through the registered pipeline.
        services.TryAddSingleton<VectorStore>(static sp => new VectorIndexStore(
            sp.GetRequiredService<IOptions<CosmosEmbeddingsOptions>>().Value.VectorIndex,
            sp.GetService<IEmbeddingGenerator<string, Embedding<float>>>()));
    }
}
