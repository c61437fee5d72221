using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers;

/// <summary>Options for <see cref="CohereEmbeddingGenerator"/>, which calls Cohere's <c>POST /v2/embed</c>.</summary>
public sealed class CohereEmbeddingProviderOptions : HttpEmbeddingProviderOptions
{
    /// <summary>The model requested when <see cref="EmbeddingProviderOptions.ModelId"/> is not set.</summary>
    public const string DefaultCohereModelId = "embed-v4.0";

    /// <summary>The input type used when neither the options nor the call set one: texts stored for search.</summary>
    public const string DefaultInputType = "search_document";

    private static readonly Uri CohereEndpoint = new("https://api.cohere.com/");

    /// <summary>The required <c>input_type</c>: <c>search_document</c>, <c>search_query</c>, <c>classification</c> or <c>clustering</c>.
    /// A call overrides it with <see cref="EmbeddingPropertyNames.InputType"/> in <c>AdditionalProperties</c>.</summary>
    /// <value>The default value is <see cref="DefaultInputType"/>.</value>
    public string InputType { get; set; } = DefaultInputType;

    /// <inheritdoc />
    public override string ProviderName => "cohere";

    /// <inheritdoc />
    internal override string? DefaultModelId => DefaultCohereModelId;

    /// <inheritdoc />
    internal override Uri? DefaultEndpoint => CohereEndpoint;

    /// <inheritdoc />
    internal override bool RequiresApiKey => Endpoint is null || Endpoint.Host == CohereEndpoint.Host;

    /// <inheritdoc />
    /// <remarks>Cohere documents at most 96 texts per request and no request-wide token budget.</remarks>
    internal override EmbeddingProviderLimits DefaultLimits { get; } = new(96);

    /// <inheritdoc />
    internal override void Validate(List<string> failures, string path)
    {
        base.Validate(failures, path);
        if (string.IsNullOrWhiteSpace(InputType))
        {
            failures.Add($"{path}.{nameof(InputType)} is required by Cohere (e.g. 'search_document' or 'search_query').");
        }
    }

    /// <inheritdoc />
    internal override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(HttpClient? httpClient, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        new CohereEmbeddingGenerator(
            httpClient ?? throw new ArgumentNullException(nameof(httpClient)),
            this,
            timeProvider,
            loggerFactory.CreateLogger<CohereEmbeddingGenerator>());
}
