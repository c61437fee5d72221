using Cosmos.Embeddings.Providers.Internal;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers;

/// <summary>Embeds text with a Hugging Face Text Embeddings Inference server (<c>POST /embed</c> with <c>inputs</c> and <c>normalize</c>).</summary>
/// <remarks>
/// One call is one HTTP request of at most 32 inputs by default; it never splits, retries or falls back. The server's model
/// is fixed, so a per-call <c>ModelId</c> other than the configured one is rejected, and <c>Dimensions</c> only validates the answer.
/// The key, when set, is sent as <c>Authorization: Bearer</c> (TEI <c>--api-key</c>, Hugging Face Inference Endpoints).
/// The <see cref="HttpClient"/> belongs to the host and is not disposed here.
/// </remarks>
public sealed class HuggingFaceTeiEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly HttpProviderCore _core;
    private readonly bool _normalize;
    private readonly bool _truncate;

    /// <summary>Creates a generator that sends requests through <paramref name="httpClient"/>.</summary>
    /// <param name="httpClient">The host's client (e.g. from <c>IHttpClientFactory</c>); not disposed by the generator.</param>
    /// <param name="options">The provider's settings, validated and copied here.</param>
    /// <param name="timeProvider">The clock for timeouts, <c>Retry-After</c> dates and <c>CreatedAt</c>; the system clock when null.</param>
    /// <param name="logger">Receives request outcomes (never the API key); nothing is logged when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message names each bad setting.</exception>
    public HuggingFaceTeiEmbeddingGenerator(HttpClient httpClient, HuggingFaceTeiEmbeddingProviderOptions options, TimeProvider? timeProvider = null, ILogger<HuggingFaceTeiEmbeddingGenerator>? logger = null)
    {
        _core = new HttpProviderCore(httpClient, options, timeProvider, logger);
        _normalize = options.Normalize;
        _truncate = options.Truncate;
    }

    /// <summary>Embeds <paramref name="values"/> in one request; <paramref name="options"/> may set <c>Dimensions</c> to validate against.</summary>
    /// <returns>One embedding per input, in input order, each stamped with the configured <c>ModelId</c> and <c>CreatedAt</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">An input is null, the inputs exceed <see cref="EmbeddingProviderLimits"/>, or another model is requested.</exception>
    /// <exception cref="EmbeddingProviderException">The server failed, timed out, or answered with a malformed or wrong-dimension response.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = _core.PrepareInputs(values);
        if (options?.ModelId is { Length: > 0 } requested && !string.Equals(requested, _core.ModelId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Embedding provider '{_core.Transport.ProviderName}' serves only model '{_core.ModelId}'; '{requested}' cannot be requested per call.", nameof(options));
        }

        if (inputs.Count == 0)
        {
            return [];
        }

        int? dimensions = _core.DimensionsFor(options);
        var request = new TeiEmbedRequest { Inputs = inputs, Normalize = _normalize, Truncate = _truncate };

        long started = _core.Start();
        var vectors = await _core.Transport.PostAsync("embed", request, ProviderJsonContext.Default.TeiEmbedRequest, ProviderJsonContext.Default.ListSingleArray, cancellationToken).ConfigureAwait(false);
        return ProviderResponse.Build(_core.Transport, vectors, inputs.Count, dimensions, _core.ModelId, usage: null, started);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        _core.GetService(this, serviceType, serviceKey);

    /// <summary>Does nothing: the <see cref="HttpClient"/> belongs to the host.</summary>
    public void Dispose()
    {
    }
}
