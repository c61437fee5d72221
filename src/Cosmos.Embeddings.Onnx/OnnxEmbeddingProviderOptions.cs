using Cosmos.Embeddings.Fallback;
using Cosmos.Embeddings.Onnx.Internal.Validators;
using Cosmos.Embeddings.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Onnx;

/// <summary>A sentence-transformer model run in process by <see cref="OnnxEmbeddingGenerator"/>, as an entry of
/// <c>CosmosEmbeddingsOptions.Providers</c>.</summary>
/// <remarks>
/// <para>Behind a hosted server of the same model it is a genuine fallback: declare one
/// <see cref="EmbeddingProviderOptions.ModelSpace"/> on both (for instance <c>sentence-transformers/all-MiniLM-L6-v2</c> on a TEI
/// entry and on this one) and the chain answers from the local model under the default <see cref="ModelMixingPolicy.Fail"/>,
/// because the vectors are the same model's.</para>
/// <example><code>
/// services.AddCosmosEmbeddings(o =>
/// {
///     o.Providers.Add(new HuggingFaceTeiEmbeddingProviderOptions { Endpoint = tei, ModelId = "sentence-transformers/all-MiniLM-L6-v2" });
///     o.Providers.Add(new OnnxEmbeddingProviderOptions
///     {
///         ModelSpace = "sentence-transformers/all-MiniLM-L6-v2",
///         Model = { ModelDirectory = "models/all-MiniLM-L6-v2", MaxSequenceLength = 256 },
///     });
/// });
/// </code></example>
/// </remarks>
public sealed class OnnxEmbeddingProviderOptions : InProcessEmbeddingProviderOptions
{
    /// <summary>Gets or sets where the model is and how it runs.</summary>
    /// <value>The default value is an <see cref="OnnxEmbeddingOptions"/> with no folder (one is required).</value>
    public OnnxEmbeddingOptions Model { get; set; } = new();

    /// <inheritdoc />
    public override string ProviderName => OnnxEmbeddingGenerator.ProviderName;

    /// <inheritdoc />
    /// <remarks><see cref="OnnxEmbeddingOptions.ModelId"/>, else the model folder's name.</remarks>
    protected override string? DefaultModel =>
        !string.IsNullOrWhiteSpace(Model?.ModelId) ? Model.ModelId
        : string.IsNullOrWhiteSpace(Model?.ModelDirectory) ? null
        : new DirectoryInfo(Model.ModelDirectory).Name;

    /// <inheritdoc />
    protected override void ValidateSettings(ICollection<string> failures, string path)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (Model is null)
        {
            failures.Add($"{path}.{nameof(Model)} must not be null.");
            return;
        }

        foreach (var failure in OnnxEmbeddingOptionsValidator.Collect(Model, $"{path}.{nameof(Model)}"))
        {
            failures.Add(failure);
        }
    }

    /// <inheritdoc />
    protected override IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        // The entry's model id (which may override the model's own) is the one stamped on vectors, so metadata and vectors agree.
        return new OnnxEmbeddingGenerator(Model, ModelId ?? DefaultModel, loggerFactory, timeProvider, meterFactory: null);
    }
}
