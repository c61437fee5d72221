using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Indexing;

/// <summary>Creates <see cref="VectorIndex"/> instances with the storage settings configured in <see cref="CosmosEmbeddingsOptions.VectorIndex"/>.</summary>
public sealed class VectorIndexFactory
{
    private readonly VectorIndexOptions _options;

    /// <summary>Creates a factory that applies <paramref name="options"/> to every index it creates.</summary>
    /// <param name="options">The storage settings; copied. <see langword="null"/> uses the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public VectorIndexFactory(VectorIndexOptions? options = null)
    {
        _options = options?.Clone() ?? new VectorIndexOptions();
        _options.Validate();
    }

    /// <summary>Creates an empty index for vectors of one model.</summary>
    /// <param name="modelId">The model whose vectors the index will hold.</param>
    /// <param name="dimensions">The vector length.</param>
    /// <returns>A new, empty index.</returns>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> is not positive.</exception>
    public VectorIndex Create(string modelId, int dimensions) => new(modelId, dimensions, _options);

    /// <summary>Creates an empty index bound to the default model and dimension a generator reports.</summary>
    /// <param name="generator">The generator whose <see cref="EmbeddingGeneratorMetadata"/> names the model and dimension.</param>
    /// <returns>A new, empty index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The generator does not report a default model id and dimension.</exception>
    public VectorIndex Create(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var metadata = generator.GetService(typeof(EmbeddingGeneratorMetadata)) as EmbeddingGeneratorMetadata;
        if (metadata?.DefaultModelId is not { Length: > 0 } modelId || metadata.DefaultModelDimensions is not int dimensions)
        {
            throw new InvalidOperationException(
                "The generator does not report a default model id and dimension in its EmbeddingGeneratorMetadata; use Create(modelId, dimensions).");
        }

        return Create(modelId, dimensions);
    }
}
