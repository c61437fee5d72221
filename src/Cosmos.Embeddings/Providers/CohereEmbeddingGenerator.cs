using Cosmos.Embeddings.Providers.Internal;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers;

/// <summary>Embeds text with Cohere's <c>POST /v2/embed</c> (<c>texts</c>, <c>input_type</c>, <c>embedding_types: ["float"]</c>).</summary>
/// <remarks>
/// One call is one HTTP request of at most 96 texts; it never splits, retries or falls back. The input type comes from
/// <see cref="EmbeddingPropertyNames.InputType"/> in the call's <c>AdditionalProperties</c>, else from the options.
/// <c>Dimensions</c> (configured or per call) is sent as <c>output_dimension</c>, which embed-v4.0 supports; leave it unset for v3 models.
/// The <see cref="HttpClient"/> belongs to the host and is not disposed here.
/// </remarks>
public sealed class CohereEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly HttpProviderCore _core;
    private static readonly string[] FloatType = ["float"];

    private readonly string _inputType;

    /// <summary>Creates a generator that sends requests through <paramref name="httpClient"/>.</summary>
    /// <param name="httpClient">The host's client (e.g. from <c>IHttpClientFactory</c>); not disposed by the generator.</param>
    /// <param name="options">The provider's settings, validated and copied here.</param>
    /// <param name="timeProvider">The clock for timeouts, <c>Retry-After</c> dates and <c>CreatedAt</c>; the system clock when null.</param>
    /// <param name="logger">Receives request outcomes (never the API key); nothing is logged when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message names each bad setting.</exception>
    public CohereEmbeddingGenerator(HttpClient httpClient, CohereEmbeddingProviderOptions options, TimeProvider? timeProvider = null, ILogger<CohereEmbeddingGenerator>? logger = null)
    {
        _core = new HttpProviderCore(httpClient, options, timeProvider, logger);
        _inputType = options.InputType;
    }

    /// <summary>Embeds <paramref name="values"/> in one request; <paramref name="options"/> may override <c>ModelId</c>, <c>Dimensions</c> and the input type.</summary>
    /// <returns>One embedding per input, in input order, each stamped with <c>ModelId</c> and <c>CreatedAt</c>; <c>Usage</c> from <c>meta.billed_units</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">An input is null or the inputs exceed <see cref="EmbeddingProviderLimits"/>.</exception>
    /// <exception cref="EmbeddingProviderException">The server failed, timed out, or answered with a malformed or wrong-dimension response.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = _core.PrepareInputs(values);
        if (inputs.Count == 0)
        {
            return [];
        }

        string model = _core.ModelFor(options);
        int? dimensions = _core.DimensionsFor(options);
        var request = new CohereEmbedRequest
        {
            Texts = inputs,
            Model = model,
            InputType = ProviderResponse.GetString(options, EmbeddingPropertyNames.InputType) ?? _inputType,
            EmbeddingTypes = FloatType,
            OutputDimension = dimensions,
        };

        long started = _core.Start();
        var response = await _core.Transport.PostAsync("v2/embed", request, ProviderJsonContext.Default.CohereEmbedRequest, ProviderJsonContext.Default.CohereEmbedResponse, cancellationToken).ConfigureAwait(false);
        UsageDetails? usage = response.Meta?.BilledUnits?.InputTokens is long tokens
            ? new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens }
            : null;
        return ProviderResponse.Build(_core.Transport, response.Embeddings?.Float, inputs.Count, dimensions, model, usage, started);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        _core.GetService(this, serviceType, serviceKey);

    /// <summary>Does nothing: the <see cref="HttpClient"/> belongs to the host.</summary>
    public void Dispose()
    {
    }
}
