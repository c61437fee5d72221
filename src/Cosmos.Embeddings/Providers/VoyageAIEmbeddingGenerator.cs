using Cosmos.Embeddings.Providers.Internal;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers;

/// <summary>Embeds text with Voyage AI's <c>POST /v1/embeddings</c> (<c>input</c>, <c>model</c>, <c>input_type</c>, <c>output_dimension</c>).</summary>
/// <remarks>
/// One call is one HTTP request; it never splits, retries or falls back. <c>Dimensions</c> (configured or per call) is sent as
/// <c>output_dimension</c>. The <see cref="HttpClient"/> belongs to the host and is not disposed here.
/// </remarks>
public sealed class VoyageAIEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly HttpProviderCore _core;
    private readonly string? _inputType;
    private readonly bool? _truncation;

    /// <summary>Creates a generator that sends requests through <paramref name="httpClient"/>.</summary>
    /// <param name="httpClient">The host's client (e.g. from <c>IHttpClientFactory</c>); not disposed by the generator.</param>
    /// <param name="options">The provider's settings, validated and copied here.</param>
    /// <param name="timeProvider">The clock for timeouts, <c>Retry-After</c> dates and <c>CreatedAt</c>; the system clock when null.</param>
    /// <param name="logger">Receives request outcomes (never the API key); nothing is logged when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message names each bad setting.</exception>
    public VoyageAIEmbeddingGenerator(HttpClient httpClient, VoyageAIEmbeddingProviderOptions options, TimeProvider? timeProvider = null, ILogger<VoyageAIEmbeddingGenerator>? logger = null)
    {
        _core = new HttpProviderCore(httpClient, options, timeProvider, logger);
        _inputType = options.InputType;
        _truncation = options.Truncation;
    }

    /// <summary>Embeds <paramref name="values"/> in one request; <paramref name="options"/> may override <c>ModelId</c>, <c>Dimensions</c> and the input type.</summary>
    /// <returns>One embedding per input, in input order, each stamped with <c>ModelId</c> and <c>CreatedAt</c>; <c>Usage</c> when the server reports it.</returns>
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
        var request = new VoyageEmbeddingRequest
        {
            Input = inputs,
            Model = model,
            InputType = ProviderResponse.GetString(options, EmbeddingPropertyNames.InputType) ?? _inputType,
            OutputDimension = dimensions,
            Truncation = _truncation,
        };

        long started = _core.Start();
        var response = await _core.Transport.PostAsync("v1/embeddings", request, ProviderJsonContext.Default.VoyageEmbeddingRequest, ProviderJsonContext.Default.OpenAIEmbeddingResponse, cancellationToken).ConfigureAwait(false);
        var vectors = ProviderResponse.OrderByIndex(_core.Transport, response.Data, inputs.Count, started);
        long? tokens = response.Usage?.PromptTokens ?? response.Usage?.TotalTokens;
        UsageDetails? usage = tokens is null ? null : new UsageDetails { InputTokenCount = tokens, TotalTokenCount = response.Usage!.TotalTokens ?? tokens };
        return ProviderResponse.Build(_core.Transport, vectors, inputs.Count, dimensions, model, usage, started);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        _core.GetService(this, serviceType, serviceKey);

    /// <summary>Does nothing: the <see cref="HttpClient"/> belongs to the host.</summary>
    public void Dispose()
    {
    }
}
