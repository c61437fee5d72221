using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Batching;

/// <summary>Batched generation with progress reporting on any embedding generator pipeline.</summary>
public static class EmbeddingGeneratorProgressExtensions
{
    /// <summary>
    /// Generates embeddings for <paramref name="values"/>, reporting <see cref="EmbeddingBatchProgress"/> as batches finish.
    /// The progress travels in a <see cref="CosmosEmbeddingGenerationOptions"/> to the pipeline's <see cref="BatchingEmbeddingGenerator"/>
    /// (and through a <see cref="CachingEmbeddingGenerator"/>, which counts cache hits as completed); other middleware passes it on untouched.
    /// </summary>
    /// <param name="generator">The generator pipeline.</param>
    /// <param name="values">The inputs.</param>
    /// <param name="progress">Receives progress; reports are monotonic and the last one has <c>Processed == Total</c> unless cancelled.</param>
    /// <param name="options">Generation options; not modified (a copy carries the progress).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The embeddings, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/>, <paramref name="values"/> or <paramref name="progress"/> is <see langword="null"/>.</exception>
    /// <exception cref="EmbeddingBatchException">Some batches failed; the exception names their inputs.</exception>
    public static Task<GeneratedEmbeddings<Embedding<float>>> GenerateWithProgressAsync(
        this IEmbeddingGenerator<string, Embedding<float>> generator,
        IEnumerable<string> values,
        IProgress<EmbeddingBatchProgress> progress,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(progress);
        return generator.GenerateAsync(values, new CosmosEmbeddingGenerationOptions(options) { Progress = progress }, cancellationToken);
    }

    internal static IProgress<EmbeddingBatchProgress>? GetProgress(EmbeddingGenerationOptions? options) =>
        (options as CosmosEmbeddingGenerationOptions)?.Progress;

    /// <summary>Returns <paramref name="options"/> with its progress replaced by <paramref name="progress"/>, copying only when it changes.</summary>
    internal static EmbeddingGenerationOptions? WithProgress(EmbeddingGenerationOptions? options, IProgress<EmbeddingBatchProgress>? progress)
    {
        if (options is not CosmosEmbeddingGenerationOptions typed || ReferenceEquals(typed.Progress, progress))
        {
            return options;
        }

        return new CosmosEmbeddingGenerationOptions(typed) { Progress = progress };
    }
}
