using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers;

/// <summary>What every embedding provider in a Cosmos.Embeddings chain is configured with: a name, a model and its dimensions.</summary>
/// <remarks>
/// Concrete options (<see cref="OpenAIEmbeddingProviderOptions"/>, <see cref="CohereEmbeddingProviderOptions"/>, ...) are
/// listed in <c>CosmosEmbeddingsOptions.Providers</c> in fallback order and turned into generators by
/// the pipeline. Outside this assembly, derive from <see cref="InProcessEmbeddingProviderOptions"/>.
/// </remarks>
public abstract class EmbeddingProviderOptions
{
    private string? _name;

    private protected EmbeddingProviderOptions()
    {
    }

    /// <summary>The provider's name in metadata and telemetry, e.g. <c>openai</c>, <c>cohere</c>, <c>ollama</c>.</summary>
    public abstract string ProviderName { get; }

    /// <summary>The name that identifies this entry in a chain, in logs, metrics and exceptions; unique within a chain.</summary>
    /// <value>The default value is <see cref="ProviderName"/>.</value>
    public string Name
    {
        get => string.IsNullOrWhiteSpace(_name) ? ProviderName : _name;
        set => _name = value;
    }

    /// <summary>The model to request, also recorded as <c>Embedding.ModelId</c> on every vector.</summary>
    /// <value>The default value depends on the provider (see the provider's options); <see langword="null"/> uses that default.</value>
    public string? ModelId { get; set; }

    /// <summary>The number of dimensions every vector must have; responses with other lengths fail with
    /// <see cref="EmbeddingProviderFailureReason.DimensionMismatch"/>. Providers that can shorten vectors are asked for this many.</summary>
    /// <value>The default value is <see langword="null"/>: the first vector of each response sets the expected length.</value>
    public int? Dimensions { get; set; }

    /// <summary>The model space this provider's vectors belong to: providers that serve the same model (same weights, tokenizer,
    /// pooling and normalisation) under different names declare one space, so a fallback chain treats their vectors as
    /// interchangeable under <see cref="ModelMixingPolicy.Fail"/>.</summary>
    /// <remarks>For example a Hugging Face TEI server hosting <c>sentence-transformers/all-MiniLM-L6-v2</c>, Ollama's <c>all-minilm</c>
    /// and the same model run in process by Cosmos.Embeddings.Onnx all declare <c>sentence-transformers/all-MiniLM-L6-v2</c>. Declare a
    /// shared space only for the same model: vectors of different models are not comparable even when their dimensions agree.</remarks>
    /// <value>The default value is <see langword="null"/>: the provider's model id is its model space.</value>
    public string? ModelSpace { get; set; }

    /// <summary>The model space this entry declares: <see cref="ModelSpace"/>, else the effective model id.</summary>
    internal string? EffectiveModelSpace => string.IsNullOrWhiteSpace(ModelSpace) ? EffectiveModelId : ModelSpace;

    /// <summary>The model id used when <see cref="ModelId"/> is not set, or <see langword="null"/> when the provider has none.</summary>
    internal abstract string? DefaultModelId { get; }

    /// <summary>The model id this entry requests and records.</summary>
    internal string? EffectiveModelId => string.IsNullOrWhiteSpace(ModelId) ? DefaultModelId : ModelId;

    /// <summary>Adds a message for every invalid setting to <paramref name="failures"/>, each starting with <paramref name="path"/>.</summary>
    internal virtual void Validate(List<string> failures, string path)
    {
        if (Dimensions is int dimensions && dimensions < 1)
        {
            failures.Add($"{path}.{nameof(Dimensions)} must be at least 1 when set (was {dimensions}).");
        }

        if (EffectiveModelId is null)
        {
            failures.Add($"{path}.{nameof(ModelId)} is required for provider '{ProviderName}'.");
        }
    }

    /// <summary>Builds the generator these options describe.</summary>
    internal abstract IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(HttpClient? httpClient, TimeProvider timeProvider, ILoggerFactory loggerFactory);

    /// <summary>Throws <see cref="ArgumentException"/> naming every invalid setting.</summary>
    internal void ThrowIfInvalid(string paramName)
    {
        var failures = new List<string>();
        Validate(failures, GetType().Name);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), paramName);
        }
    }
}
