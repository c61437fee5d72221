using Cosmos.Embeddings;
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
        // The validator and the factory read the collection when the container first needs them, so providers
        // registered after AddCosmosEmbeddings take part too.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosEmbeddingsOptions>>(new EmbeddingPipelineOptionsValidator(services)));
        services.TryAddSingleton(static sp => EmbeddingPipelineFactory.CreateTelemetry(sp));
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => EmbeddingPipelineFactory.Create(sp, services));
    }
}
