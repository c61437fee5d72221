using Cosmos.Embeddings.Providers.Internal;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers;

/// <summary>Embeds text with a Google Vertex AI model:
/// <c>POST v1/projects/{project}/locations/{location}/publishers/google/models/{model}:predict</c> with <c>instances[{content, task_type}]</c>.</summary>
/// <remarks>
/// One call is one HTTP request; it never splits, retries or falls back. <c>Dimensions</c> (configured or per call) is sent as
/// <c>parameters.outputDimensionality</c>. <c>Usage</c> sums each prediction's <c>statistics.token_count</c>.
/// The <see cref="HttpClient"/> belongs to the host and is not disposed here.
/// </remarks>
public sealed class VertexAIEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly HttpProviderCore _core;
    private readonly string _modelPrefix;
    private readonly string? _taskType;
    private readonly bool? _autoTruncate;

    /// <summary>Creates a generator that sends requests through <paramref name="httpClient"/>.</summary>
    /// <param name="httpClient">The host's client (e.g. from <c>IHttpClientFactory</c>); not disposed by the generator.</param>
    /// <param name="options">The provider's settings, validated and copied here.</param>
    /// <param name="timeProvider">The clock for timeouts, <c>Retry-After</c> dates and <c>CreatedAt</c>; the system clock when null.</param>
    /// <param name="logger">Receives request outcomes (never the access token); nothing is logged when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message names each bad setting.</exception>
    public VertexAIEmbeddingGenerator(HttpClient httpClient, VertexAIEmbeddingProviderOptions options, TimeProvider? timeProvider = null, ILogger<VertexAIEmbeddingGenerator>? logger = null)
    {
        _core = new HttpProviderCore(httpClient, options, timeProvider, logger);
        _taskType = options.TaskType;
        _autoTruncate = options.AutoTruncate;
        _modelPrefix = $"v1/projects/{Uri.EscapeDataString(options.ProjectId!)}/locations/{Uri.EscapeDataString(options.Location)}/publishers/google/models/";
    }

    /// <summary>Embeds <paramref name="values"/> in one request; <paramref name="options"/> may override <c>ModelId</c>, <c>Dimensions</c> and the task type.</summary>
    /// <returns>One embedding per input, in input order, each stamped with <c>ModelId</c> and <c>CreatedAt</c>; <c>Usage</c> when the server reports token counts.</returns>
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
        string? taskType = ProviderResponse.GetString(options, EmbeddingPropertyNames.InputType) ?? _taskType;
        var instances = new VertexInstance[inputs.Count];
        for (int i = 0; i < instances.Length; i++)
        {
            instances[i] = new VertexInstance { Content = inputs[i], TaskType = taskType };
        }

        var request = new VertexPredictRequest
        {
            Instances = instances,
            Parameters = dimensions is null && _autoTruncate is null ? null : new VertexParameters { OutputDimensionality = dimensions, AutoTruncate = _autoTruncate },
        };

        long started = _core.Start();
        string path = _modelPrefix + Uri.EscapeDataString(model) + ":predict";
        var response = await _core.Transport.PostAsync(path, request, ProviderJsonContext.Default.VertexPredictRequest, ProviderJsonContext.Default.VertexPredictResponse, cancellationToken).ConfigureAwait(false);
        var predictions = response.Predictions;
        UsageDetails? usage = null;
        if (predictions is not null && predictions.Count > 0 && predictions.All(p => p?.Embeddings?.Statistics?.TokenCount is not null))
        {
            long tokens = (long)predictions.Sum(p => p!.Embeddings!.Statistics!.TokenCount!.Value);
            usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        }

        return ProviderResponse.Build(_core.Transport, predictions?.Select(p => p?.Embeddings?.Values).ToArray(), inputs.Count, dimensions, model, usage, started);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        _core.GetService(this, serviceType, serviceKey);

    /// <summary>Does nothing: the <see cref="HttpClient"/> belongs to the host.</summary>
    public void Dispose()
    {
    }
}
