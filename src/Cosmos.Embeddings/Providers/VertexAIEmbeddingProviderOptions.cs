using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers;

/// <summary>Options for <see cref="VertexAIEmbeddingGenerator"/>, which calls a Google Vertex AI text-embedding model's <c>:predict</c>.</summary>
/// <remarks><see cref="HttpEmbeddingProviderOptions.ApiKey"/> holds an OAuth access token, sent as <c>Authorization: Bearer</c>;
/// tokens expire, so a host that rotates them sets a fresh one through its own handler on the named <see cref="HttpClient"/> instead.</remarks>
public sealed class VertexAIEmbeddingProviderOptions : HttpEmbeddingProviderOptions
{
    /// <summary>The model requested when <see cref="EmbeddingProviderOptions.ModelId"/> is not set.</summary>
    public const string DefaultVertexModelId = "text-embedding-005";

    /// <summary>The Google Cloud project id.</summary>
    /// <value>The default value is <see langword="null"/>; it is required.</value>
    public string? ProjectId { get; set; }

    /// <summary>The Google Cloud region, e.g. <c>us-central1</c>; also picks the default endpoint <c>https://{Location}-aiplatform.googleapis.com/</c>.</summary>
    /// <value>The default value is <c>us-central1</c>.</value>
    public string Location { get; set; } = "us-central1";

    /// <summary>The <c>task_type</c> of each instance, e.g. <c>RETRIEVAL_DOCUMENT</c> or <c>RETRIEVAL_QUERY</c>.
    /// A call overrides it with <see cref="EmbeddingPropertyNames.InputType"/> in <c>AdditionalProperties</c>.</summary>
    /// <value>The default value is <c>RETRIEVAL_DOCUMENT</c>.</value>
    public string? TaskType { get; set; } = "RETRIEVAL_DOCUMENT";

    /// <summary>Whether the server truncates over-long inputs (<c>autoTruncate</c>) instead of rejecting them.</summary>
    /// <value>The default value is <see langword="null"/> (the server's default, which truncates).</value>
    public bool? AutoTruncate { get; set; }

    /// <inheritdoc />
    public override string ProviderName => "gcp.vertex_ai";

    /// <inheritdoc />
    internal override string? DefaultModelId => DefaultVertexModelId;

    /// <inheritdoc />
    internal override Uri? DefaultEndpoint =>
        IsValidLocation(Location) ? new Uri($"https://{Location}-aiplatform.googleapis.com/") : null;

    /// <inheritdoc />
    internal override bool RequiresApiKey => Endpoint is null;

    /// <inheritdoc />
    /// <remarks>Vertex AI documents at most 250 texts and 20,000 tokens per request for text-embedding-005 (set
    /// <see cref="HttpEmbeddingProviderOptions.MaxInputsPerRequest"/> to 1 for gemini-embedding-001).</remarks>
    internal override EmbeddingProviderLimits DefaultLimits { get; } = new(250, 20_000);

    /// <inheritdoc />
    internal override void Validate(List<string> failures, string path)
    {
        base.Validate(failures, path);
        if (string.IsNullOrWhiteSpace(ProjectId))
        {
            failures.Add($"{path}.{nameof(ProjectId)} is required for Vertex AI.");
        }

        if (!IsValidLocation(Location))
        {
            failures.Add($"{path}.{nameof(Location)} must be a Google Cloud region such as 'us-central1'.");
        }
    }

    /// <inheritdoc />
    internal override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(HttpClient? httpClient, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        new VertexAIEmbeddingGenerator(
            httpClient ?? throw new ArgumentNullException(nameof(httpClient)),
            this,
            timeProvider,
            loggerFactory.CreateLogger<VertexAIEmbeddingGenerator>());

    // Regions are lower-case letters, digits and dashes; anything else would change the host name.
    private static bool IsValidLocation(string? location) =>
        !string.IsNullOrEmpty(location) && location.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
