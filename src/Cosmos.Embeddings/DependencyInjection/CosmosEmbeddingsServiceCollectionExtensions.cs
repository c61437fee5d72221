using Cosmos.Embeddings;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Cosmos.Embeddings services in an <see cref="IServiceCollection"/>.</summary>
public static partial class CosmosEmbeddingsServiceCollectionExtensions
{
    /// <summary>Adds the Cosmos.Embeddings services and their options, validated when the host starts.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="CosmosEmbeddingsOptions"/>; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddCosmosEmbeddings(this IServiceCollection services, Action<CosmosEmbeddingsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptionsWithValidateOnStart<CosmosEmbeddingsOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        AddProviders(services);
        AddPipeline(services);
        AddVectorIndex(services);
        return services;
    }

    // Implemented in the Providers feature folder.
    static partial void AddProviders(IServiceCollection services);

    // Implemented in the Pipeline feature folder.
    static partial void AddPipeline(IServiceCollection services);

    // Implemented in the VectorIndex feature folder.
    static partial void AddVectorIndex(IServiceCollection services);
}
