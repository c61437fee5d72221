using Cosmos.Embeddings;
using Cosmos.Embeddings.Internal.Validators;
using Cosmos.Embeddings.Providers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static partial class CosmosEmbeddingsServiceCollectionExtensions
{
    // Providers: validate CosmosEmbeddingsOptions.Providers at start and make IHttpClientFactory available, from which each
    // hosted provider gets the named client HttpEmbeddingProviderOptions.HttpClientName.
    static partial void AddProviders(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosEmbeddingsOptions>, EmbeddingProvidersOptionsValidator>());
        services.AddHttpClient();
    }
}
