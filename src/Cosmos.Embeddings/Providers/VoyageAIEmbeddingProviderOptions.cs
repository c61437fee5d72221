using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers;

/// <summary>Options for <see cref="VoyageAIEmbeddingGenerator"/>, which calls Voyage AI's <c>POST /v1/embeddings</c>
/// (the embeddings Anthropic recommends).</summary>
public sealed class VoyageAIEmbeddingProviderOptions : HttpEmbeddingProviderOptions
{
    /// <summary>The model requested when <see cref="EmbeddingProviderOptions.ModelId"/> is not set.</summary>
    public const string DefaultVoyageModelId = "voyage-3.5";

    private static readonly Uri VoyageEndpoint = new("https://api.voyageai.com/");

    /// <summary>The <c>input_type</c>: <c>document</c>, <c>query</c>, or <see langword="null"/> to embed the text as is.
    /// A call overrides it with <see cref="EmbeddingPropertyNames.InputType"/> in <c>AdditionalProperties</c>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? InputType { get; set; }

    /// <summary>Whether the server truncates over-long inputs (<c>truncation</c>) instead of rejecting them.</summary>
    /// <value>The default value is <see langword="null"/> (the server's default, which truncates).</value>
    public bool? Truncation { get; set; }

    /// <inheritdoc />
    public override string ProviderName => "voyageai";

    /// <inheritdoc />
    internal override string? DefaultModelId => DefaultVoyageModelId;

    /// <inheritdoc />
    internal override Uri? DefaultEndpoint => VoyageEndpoint;

    /// <inheritdoc />
    internal override bool RequiresApiKey => Endpoint is null || Endpoint.Host == VoyageEndpoint.Host;

    /// <inheritdoc />
    /// <remarks>Voyage AI documents at most 1,000 inputs per request and a token budget that depends on the model
    /// (120K for voyage-3-large, 320K for voyage-3.5, 1M for voyage-3.5-lite); the smallest is the default.</remarks>
    internal override EmbeddingProviderLimits DefaultLimits { get; } = new(1000, 120_000);

    /// <inheritdoc />
    internal override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(HttpClient? httpClient, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        new VoyageAIEmbeddingGenerator(
            httpClient ?? throw new ArgumentNullException(nameof(httpClient)),
            this,
            timeProvider,
            loggerFactory.CreateLogger<VoyageAIEmbeddingGenerator>());
}
