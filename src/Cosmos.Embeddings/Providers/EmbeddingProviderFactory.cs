using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cosmos.Embeddings.Providers;

/// <summary>Builds the generator that an <see cref="EmbeddingProviderOptions"/> entry describes.</summary>
internal static class EmbeddingProviderFactory
{
    /// <summary>Creates the generator for <paramref name="options"/> (e.g. an <see cref="OpenAIEmbeddingGenerator"/> for
    /// <see cref="OpenAIEmbeddingProviderOptions"/>).</summary>
    /// <param name="options">One provider entry, typically from <c>CosmosEmbeddingsOptions.Providers</c>.</param>
    /// <param name="httpClient">The host's client for hosted providers (not disposed by the generator); providers that make no HTTP calls ignore it.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="loggerFactory">Creates the generator's logger; nothing is logged when null.</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null, or <paramref name="httpClient"/> is null for a hosted provider.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message names each bad setting.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(
        EmbeddingProviderOptions options,
        HttpClient? httpClient,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.CreateGenerator(httpClient, timeProvider ?? TimeProvider.System, loggerFactory ?? NullLoggerFactory.Instance);
    }

    /// <summary>Creates the generator for <paramref name="options"/> with services from <paramref name="services"/>: the named
    /// <see cref="HttpClient"/> <see cref="HttpEmbeddingProviderOptions.HttpClientName"/> from <see cref="IHttpClientFactory"/>,
    /// the registered <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/> (each optional).</summary>
    /// <param name="options">One provider entry, typically from <c>CosmosEmbeddingsOptions.Providers</c>.</param>
    /// <param name="services">The host's service provider.</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message names each bad setting.</exception>
    /// <exception cref="InvalidOperationException">A hosted provider is requested but no <see cref="IHttpClientFactory"/> is registered.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(EmbeddingProviderOptions options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        HttpClient? client = null;
        if (options is HttpEmbeddingProviderOptions hosted)
        {
            var factory = services.GetService<IHttpClientFactory>()
                ?? throw new InvalidOperationException($"Embedding provider '{options.Name}' needs an IHttpClientFactory; call services.AddHttpClient() or AddCosmosEmbeddings().");
            client = factory.CreateClient(hosted.HttpClientName);
        }

        return Create(options, client, services.GetService<TimeProvider>(), services.GetService<ILoggerFactory>());
    }
}
