using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers;

/// <summary>Options for <see cref="OllamaEmbeddingGenerator"/>, which calls an Ollama server's <c>POST /api/embed</c>.</summary>
public sealed class OllamaEmbeddingProviderOptions : HttpEmbeddingProviderOptions
{
    /// <summary>The model requested when <see cref="EmbeddingProviderOptions.ModelId"/> is not set.</summary>
    public const string DefaultOllamaModelId = "nomic-embed-text";

    private static readonly Uri LocalOllama = new("http://localhost:11434/");

    /// <summary>How long the server keeps the model loaded after the request (<c>keep_alive</c>, e.g. <c>5m</c>).</summary>
    /// <value>The default value is <see langword="null"/> (the server's default).</value>
    public string? KeepAlive { get; set; }

    /// <summary>Whether the server truncates inputs longer than the context window (<c>truncate</c>) instead of failing.</summary>
    /// <value>The default value is <see langword="null"/> (the server's default, which truncates).</value>
    public bool? Truncate { get; set; }

    /// <inheritdoc />
    public override string ProviderName => "ollama";

    /// <inheritdoc />
    internal override string? DefaultModelId => DefaultOllamaModelId;

    /// <inheritdoc />
    internal override Uri? DefaultEndpoint => LocalOllama;

    /// <inheritdoc />
    internal override bool RequiresApiKey => false;

    /// <inheritdoc />
    /// <remarks>Ollama documents no per-request limit; 512 inputs keeps one request's memory and latency bounded.</remarks>
    internal override EmbeddingProviderLimits DefaultLimits { get; } = new(512);

    /// <inheritdoc />
    internal override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(HttpClient? httpClient, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        new OllamaEmbeddingGenerator(
            httpClient ?? throw new ArgumentNullException(nameof(httpClient)),
            this,
            timeProvider,
            loggerFactory.CreateLogger<OllamaEmbeddingGenerator>());
}
