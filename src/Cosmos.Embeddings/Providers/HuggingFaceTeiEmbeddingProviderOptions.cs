using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers;

/// <summary>Options for <see cref="HuggingFaceTeiEmbeddingGenerator"/>, which calls a Hugging Face Text Embeddings Inference
/// server's <c>POST /embed</c>.</summary>
/// <remarks>A TEI server hosts one model and does not name it in its answers, so <see cref="EmbeddingProviderOptions.ModelId"/>
/// is required: it labels every vector so vectors of different models are never mixed.</remarks>
public sealed class HuggingFaceTeiEmbeddingProviderOptions : HttpEmbeddingProviderOptions
{
    /// <summary>Whether the server L2-normalises vectors (<c>normalize</c>).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Normalize { get; set; } = true;

    /// <summary>Whether the server truncates inputs longer than the model's window (<c>truncate</c>) instead of rejecting them.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Truncate { get; set; }

    /// <inheritdoc />
    public override string ProviderName => "huggingface.tei";

    /// <inheritdoc />
    internal override string? DefaultModelId => null;

    /// <inheritdoc />
    internal override Uri? DefaultEndpoint => null;

    /// <inheritdoc />
    internal override bool RequiresApiKey => false;

    /// <inheritdoc />
    /// <remarks>TEI's <c>--max-client-batch-size</c> defaults to 32; raise <see cref="HttpEmbeddingProviderOptions.MaxInputsPerRequest"/> if the server allows more.</remarks>
    internal override EmbeddingProviderLimits DefaultLimits { get; } = new(32);

    /// <inheritdoc />
    internal override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(HttpClient? httpClient, TimeProvider timeProvider, ILoggerFactory loggerFactory) =>
        new HuggingFaceTeiEmbeddingGenerator(
            httpClient ?? throw new ArgumentNullException(nameof(httpClient)),
            this,
            timeProvider,
            loggerFactory.CreateLogger<HuggingFaceTeiEmbeddingGenerator>());
}
