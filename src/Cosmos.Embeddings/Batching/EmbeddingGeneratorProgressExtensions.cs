using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings;

/// <summary>Batched generation with progress reporting on any embedding generator pipeline.</summary>
public static class EmbeddingGeneratorProgressExtensions
{
    /// <summary>
    /// Generates embeddings for <paramref name="values"/>, reporting <see cref="EmbeddingBatchProgress"/> as batches finish.
    /// The progress travels in the options' <see cref="EmbeddingPropertyNames.Progress"/> property to the pipeline's
    /// <see cref="BatchingEmbeddingGenerator"/> (and through a <see cref="CachingEmbeddingGenerator"/>, which counts cache hits as completed).
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
        var withProgress = options?.Clone() ?? new EmbeddingGenerationOptions();
        withProgress.AdditionalProperties = withProgress.AdditionalProperties?.Clone() ?? [];
        withProgress.AdditionalProperties[EmbeddingPropertyNames.Progress] = progress;
        return generator.GenerateAsync(values, withProgress, cancellationToken);
    }

    internal static IProgress<EmbeddingBatchProgress>? GetProgress(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties is { } properties
        && properties.TryGetValue(EmbeddingPropertyNames.Progress, out var value)
            ? value as IProgress<EmbeddingBatchProgress>
            : null;

    /// <summary>Returns <paramref name="options"/> with the progress entry replaced by <paramref name="progress"/> (or removed when <see langword="null"/>), copying only when needed.</summary>
    internal static EmbeddingGenerationOptions? WithProgress(EmbeddingGenerationOptions? options, IProgress<EmbeddingBatchProgress>? progress)
    {
        if (options?.AdditionalProperties is not { } properties || !properties.ContainsKey(EmbeddingPropertyNames.Progress))
        {
            return options;
        }

        var copy = options.Clone();
        copy.AdditionalProperties = properties.Clone();
        if (progress is null)
        {
            copy.AdditionalProperties.Remove(EmbeddingPropertyNames.Progress);
            if (copy.AdditionalProperties.Count == 0)
            {
                copy.AdditionalProperties = null;
            }
        }
        else
        {
            copy.AdditionalProperties[EmbeddingPropertyNames.Progress] = progress;
        }

        return copy;
    }
}
