using Cosmos.Embeddings.Providers.Internal;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers;

/// <summary>Embeds text with an Ollama server's <c>POST /api/embed</c> (<c>model</c>, <c>input</c>; answer <c>embeddings</c>).</summary>
/// <remarks>
/// One call is one HTTP request; it never splits, retries or falls back. <c>Dimensions</c> only validates the answer.
/// <c>Usage</c> comes from <c>prompt_eval_count</c>. The key, when set, is sent as <c>Authorization: Bearer</c> (for a proxy in front).
/// The <see cref="HttpClient"/> belongs to the host and is not disposed here.
/// </remarks>
public sealed class OllamaEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly HttpProviderCore _core;
    private readonly string? _keepAlive;
    private readonly bool? _truncate;

    /// <summary>Creates a generator that sends requests through <paramref name="httpClient"/>.</summary>
    /// <param name="httpClient">The host's client (e.g. from <c>IHttpClientFactory</c>); not disposed by the generator.</param>
    /// <param name="options">The provider's settings, validated and copied here.</param>
    /// <param name="timeProvider">The clock for timeouts, <c>Retry-After</c> dates and <c>CreatedAt</c>; the system clock when null.</param>
    /// <param name="logger">Receives request outcomes (never the API key); nothing is logged when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message names each bad setting.</exception>
    public OllamaEmbeddingGenerator(HttpClient httpClient, OllamaEmbeddingProviderOptions options, TimeProvider? timeProvider = null, ILogger<OllamaEmbeddingGenerator>? logger = null)
    {
        _core = new HttpProviderCore(httpClient, options, timeProvider, logger);
        _keepAlive = options.KeepAlive;
        _truncate = options.Truncate;
    }

    /// <summary>Embeds <paramref name="values"/> in one request; <paramref name="options"/> may override <c>ModelId</c> and set <c>Dimensions</c> to validate against.</summary>
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
        var request = new OllamaEmbedRequest { Model = model, Input = inputs, KeepAlive = _keepAlive, Truncate = _truncate };

        long started = _core.Start();
        var response = await _core.Transport.PostAsync("api/embed", request, ProviderJsonContext.Default.OllamaEmbedRequest, ProviderJsonContext.Default.OllamaEmbedResponse, cancellationToken).ConfigureAwait(false);
        UsageDetails? usage = response.PromptEvalCount is long tokens
            ? new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens }
            : null;
        return ProviderResponse.Build(_core.Transport, response.Embeddings, inputs.Count, dimensions, model, usage, started);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        _core.GetService(this, serviceType, serviceKey);

    /// <summary>Does nothing: the <see cref="HttpClient"/> belongs to the host.</summary>
    public void Dispose()
    {
    }
}
