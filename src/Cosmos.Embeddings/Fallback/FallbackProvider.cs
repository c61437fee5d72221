using Cosmos.Embeddings.Providers;
using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Fallback;

/// <summary>One provider of a <see cref="FallbackEmbeddingGenerator"/>: a name, the generator, and what it is known to produce and accept.</summary>
public sealed class FallbackProvider
{
    private readonly string? _modelSpace;

    /// <summary>Creates a provider entry.</summary>
    /// <param name="name">The name recorded on embeddings and in telemetry, e.g. <c>"openai"</c>.</param>
    /// <param name="generator">The generator that calls the provider.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="generator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public FallbackProvider(string name, IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(generator);
        Name = name;
        Generator = generator;
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        ModelId = metadata?.DefaultModelId;
        Dimensions = metadata?.DefaultModelDimensions;
        var limits = generator.GetService<EmbeddingProviderLimits>();
        MaxInputsPerRequest = limits?.MaxInputsPerRequest;
        MaxTokensPerRequest = limits?.MaxTokensPerRequest;
    }

    /// <summary>The provider's name, recorded in <see cref="EmbeddingPropertyNames.Provider"/> and as the <c>provider</c> metric tag.</summary>
    public string Name { get; }

    /// <summary>The generator that calls the provider.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Generator { get; }

    /// <summary>The model the provider answers with, when known before calling it.</summary>
    /// <value>The default value is the generator's <see cref="EmbeddingGeneratorMetadata.DefaultModelId"/>.</value>
    public string? ModelId { get; init; }

    /// <summary>The model space of the provider's vectors: providers of one space answer for each other under
    /// <see cref="ModelMixingPolicy.Fail"/> even when they name the model differently (e.g. TEI's
    /// <c>sentence-transformers/all-MiniLM-L6-v2</c>, Ollama's <c>all-minilm</c> and the same model run locally).</summary>
    /// <value>The default value is <see cref="ModelId"/>.</value>
    public string? ModelSpace
    {
        get => _modelSpace ?? ModelId;
        init => _modelSpace = string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>The number of dimensions of the provider's vectors, when known before calling it.</summary>
    /// <value>The default value is the generator's <see cref="EmbeddingGeneratorMetadata.DefaultModelDimensions"/>.</value>
    public int? Dimensions { get; init; }

    /// <summary>The most inputs the provider accepts in one request; <see langword="null"/> for no limit.</summary>
    /// <value>The default value is the generator's <see cref="EmbeddingProviderLimits.MaxInputsPerRequest"/>, or <see langword="null"/> when it exposes none.</value>
    public int? MaxInputsPerRequest { get; init; }

    /// <summary>The most estimated tokens the provider accepts in one request; <see langword="null"/> for no limit.</summary>
    /// <value>The default value is the generator's <see cref="EmbeddingProviderLimits.MaxTokensPerRequest"/>, or <see langword="null"/>.</value>
    public int? MaxTokensPerRequest { get; init; }

    /// <summary>The model space of a vector this provider answered with <paramref name="modelId"/>: the declared space when it
    /// names the declared model (or no model), else the model it names.</summary>
    internal string? SpaceOf(string? modelId) =>
        modelId is null || string.Equals(modelId, ModelId, StringComparison.Ordinal) ? ModelSpace : modelId;
}
