using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers.Internal;

/// <summary>What every hosted provider's generator shares: validated settings, the transport, metadata, limits and the
/// per-call model and dimension; each public generator holds one and adds only its wire format.</summary>
internal sealed class HttpProviderCore
{
    /// <summary>Validates <paramref name="options"/> and builds the transport (a bearer-key one unless <paramref name="transport"/> is given).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message names each bad setting.</exception>
    public HttpProviderCore(
        HttpClient httpClient,
        HttpEmbeddingProviderOptions options,
        TimeProvider? timeProvider,
        ILogger? logger,
        Func<HttpEmbeddingProviderOptions, ProviderHttpTransport>? transport = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid(nameof(options));

        // Validation guarantees a model id for every hosted provider.
        ModelId = options.EffectiveModelId!;
        Dimensions = options.Dimensions;
        Limits = options.Limits;
        Transport = transport?.Invoke(options) ?? ProviderHttpTransport.CreateBearer(httpClient, options, timeProvider, logger);
        Metadata = new EmbeddingGeneratorMetadata(options.ProviderName, options.EffectiveEndpoint, ModelId, Dimensions);
    }

    public ProviderHttpTransport Transport { get; }

    public EmbeddingGeneratorMetadata Metadata { get; }

    public EmbeddingProviderLimits Limits { get; }

    public string ModelId { get; }

    public int? Dimensions { get; }

    /// <summary>The inputs as a list, refused before sending when one is blank or too long or they exceed the limits.</summary>
    public IReadOnlyList<string> PrepareInputs(IEnumerable<string> values) => ProviderResponse.PrepareInputs(values, Limits, Transport.ProviderName);

    /// <summary>The model of one call: the call's <c>ModelId</c> when set, else the configured one.</summary>
    public string ModelFor(EmbeddingGenerationOptions? options) => string.IsNullOrWhiteSpace(options?.ModelId) ? ModelId : options.ModelId;

    /// <summary>The dimensions of one call: the call's when set, else the configured ones.</summary>
    public int? DimensionsFor(EmbeddingGenerationOptions? options) => options?.Dimensions ?? Dimensions;

    /// <summary>A timestamp on the transport's clock, for the request's elapsed time.</summary>
    public long Start() => Transport.TimeProvider.GetTimestamp();

    public object? GetService(object generator, Type serviceType, object? serviceKey) =>
        ProviderResponse.GetService(generator, Metadata, Limits, serviceType, serviceKey);
}
