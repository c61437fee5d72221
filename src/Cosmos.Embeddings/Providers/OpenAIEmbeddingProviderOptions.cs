using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers;

/// <summary>Options for <see cref="OpenAIEmbeddingGenerator"/>: OpenAI, Azure OpenAI (when <see cref="Deployment"/> is set)
/// and self-hosted servers that speak the OpenAI <c>POST /v1/embeddings</c> API.</summary>
public sealed class OpenAIEmbeddingProviderOptions : HttpEmbeddingProviderOptions
{
    /// <summary>The model requested when <see cref="EmbeddingProviderOptions.ModelId"/> is not set (OpenAI only).</summary>
    public const string DefaultOpenAIModelId = "text-embedding-3-small";

    /// <summary>The Azure OpenAI REST API version used when <see cref="ApiVersion"/> is not set.</summary>
    public const string DefaultAzureApiVersion = "2024-10-21";

    private static readonly Uri OpenAIEndpoint = new("https://api.openai.com/");

    /// <summary>The Azure OpenAI deployment name. When set, requests go to
    /// <c>{Endpoint}openai/deployments/{Deployment}/embeddings?api-version={ApiVersion}</c> with an <c>api-key</c> header
    /// instead of <c>{Endpoint}{RequestPath}</c> with <c>Authorization: Bearer</c>.</summary>
    /// <value>The default value is <see langword="null"/> (OpenAI or a compatible server).</value>
    public string? Deployment { get; set; }

    /// <summary>The Azure OpenAI <c>api-version</c> query value; used only with <see cref="Deployment"/>.</summary>
    /// <value>The default value is <see cref="DefaultAzureApiVersion"/>.</value>
    public string ApiVersion { get; set; } = DefaultAzureApiVersion;

    /// <summary>The path appended to <see cref="HttpEmbeddingProviderOptions.Endpoint"/> for OpenAI-compatible servers.</summary>
    /// <value>The default value is <c>v1/embeddings</c>.</value>
    public string RequestPath { get; set; } = "v1/embeddings";

    /// <summary>How the server is asked to encode vectors (<c>encoding_format</c>).</summary>
    /// <value>The default value is <see cref="EmbeddingEncodingFormat.Float"/>, which every compatible server supports;
    /// <see cref="EmbeddingEncodingFormat.Base64"/> sends about a third of the bytes.</value>
    public EmbeddingEncodingFormat EncodingFormat { get; set; } = EmbeddingEncodingFormat.Float;

    /// <summary>Whether these options target Azure OpenAI.</summary>
    internal bool IsAzure => !string.IsNullOrWhiteSpace(Deployment);

    /// <inheritdoc />
    public override string ProviderName => IsAzure ? "azure.ai.openai" : "openai";

    /// <inheritdoc />
    internal override string? DefaultModelId => IsAzure ? Deployment : DefaultOpenAIModelId;

    /// <inheritdoc />
    internal override Uri? DefaultEndpoint => IsAzure ? null : OpenAIEndpoint;

    /// <inheritdoc />
    internal override bool RequiresApiKey => IsAzure || Endpoint is null || Endpoint.Host == OpenAIEndpoint.Host;

    /// <inheritdoc />
    /// <remarks>OpenAI documents at most 2048 inputs and 300,000 tokens per request, and 8,191 tokens per input.</remarks>
    internal override EmbeddingProviderLimits DefaultLimits { get; } = new(2048, 300_000, 8_191);

    /// <inheritdoc />
    internal override void Validate(List<string> failures, string path)
    {
        base.Validate(failures, path);
        if (IsAzure)
        {
            if (string.IsNullOrWhiteSpace(ApiVersion))
            {
                failures.Add($"{path}.{nameof(ApiVersion)} is required for Azure OpenAI.");
            }
        }
        else if (string.IsNullOrWhiteSpace(RequestPath) || !Uri.IsWellFormedUriString(RequestPath, UriKind.Relative) || RequestPath.StartsWith('/'))
        {
            failures.Add($"{path}.{nameof(RequestPath)} must be a relative path such as 'v1/embeddings'.");
        }

        if (!Enum.IsDefined(EncodingFormat))
        {
            failures.Add($"{path}.{nameof(EncodingFormat)} is not a known encoding format.");
        }
    }

    /// <inheritdoc />
    internal override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(HttpClient? httpClient, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        new OpenAIEmbeddingGenerator(
            httpClient ?? throw new ArgumentNullException(nameof(httpClient)),
            this,
            timeProvider,
            loggerFactory.CreateLogger<OpenAIEmbeddingGenerator>());
}
