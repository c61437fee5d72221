using Cosmos.Embeddings.Providers.Internal;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cosmos.Embeddings.Providers;

/// <summary>Embeds text with OpenAI's <c>POST /v1/embeddings</c>, Azure OpenAI's deployment endpoint, or any server that speaks the same API.</summary>
/// <remarks>
/// One call is one HTTP request: it never splits, retries or falls back (the pipeline does). The <see cref="HttpClient"/>
/// belongs to the host and is not disposed here. Limits: <see cref="OpenAIEmbeddingProviderOptions"/>.<see cref="HttpEmbeddingProviderOptions.Limits"/>,
/// also returned by <c>GetService(typeof(EmbeddingProviderLimits))</c>.
/// </remarks>
public sealed class OpenAIEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly HttpProviderCore _core;
    private readonly string _path;
    private readonly bool _isAzure;
    private readonly string _encodingFormat;

    /// <summary>Creates a generator that sends requests through <paramref name="httpClient"/>.</summary>
    /// <param name="httpClient">The host's client (e.g. from <c>IHttpClientFactory</c>); not disposed by the generator.</param>
    /// <param name="options">The provider's settings, validated and copied here.</param>
    /// <param name="timeProvider">The clock for timeouts, <c>Retry-After</c> dates and <c>CreatedAt</c>; the system clock when null.</param>
    /// <param name="logger">Receives request outcomes (never the API key); nothing is logged when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message names each bad setting.</exception>
    public OpenAIEmbeddingGenerator(HttpClient httpClient, OpenAIEmbeddingProviderOptions options, TimeProvider? timeProvider = null, ILogger<OpenAIEmbeddingGenerator>? logger = null)
    {
        // OpenAI sends its key as a bearer token, Azure OpenAI in an api-key header.
        _core = new HttpProviderCore(httpClient, options, timeProvider, logger, validated =>
        {
            var hasKey = !string.IsNullOrEmpty(validated.ApiKey);
            var isAzure = ((OpenAIEmbeddingProviderOptions)validated).IsAzure;
            return new ProviderHttpTransport(
                httpClient,
                validated.EffectiveEndpoint!,
                validated.Name,
                hasKey ? (isAzure ? "api-key" : "Authorization") : null,
                hasKey ? (isAzure ? validated.ApiKey : "Bearer " + validated.ApiKey) : null,
                validated.ApiKey,
                validated.Timeout,
                timeProvider ?? TimeProvider.System,
                (ILogger?)logger ?? NullLogger.Instance);
        });
        _isAzure = options.IsAzure;
        _encodingFormat = options.EncodingFormat == EmbeddingEncodingFormat.Base64 ? "base64" : "float";
        _path = _isAzure
            ? $"openai/deployments/{Uri.EscapeDataString(options.Deployment!)}/embeddings?api-version={Uri.EscapeDataString(options.ApiVersion)}"
            : options.RequestPath;
    }

    /// <summary>Embeds <paramref name="values"/> in one request; <paramref name="options"/> may override <c>ModelId</c> and <c>Dimensions</c>.</summary>
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

        string? model = _core.ModelFor(options);
        int? dimensions = _core.DimensionsFor(options);
        var request = new OpenAIEmbeddingRequest
        {
            Input = inputs,

            // Azure routes by deployment; sending the model there only matters if the caller overrode it.
            Model = _isAzure && options?.ModelId is null ? null : model,
            Dimensions = dimensions,
            EncodingFormat = _encodingFormat,
        };

        long started = _core.Start();
        var response = await _core.Transport.PostAsync(_path, request, ProviderJsonContext.Default.OpenAIEmbeddingRequest, ProviderJsonContext.Default.OpenAIEmbeddingResponse, cancellationToken).ConfigureAwait(false);
        var vectors = ProviderResponse.OrderByIndex(_core.Transport, response.Data, inputs.Count, started);
        UsageDetails? usage = response.Usage is { } u && (u.PromptTokens is not null || u.TotalTokens is not null)
            ? new UsageDetails { InputTokenCount = u.PromptTokens, TotalTokenCount = u.TotalTokens ?? u.PromptTokens }
            : null;
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
