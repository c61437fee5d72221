using Cosmos.Embeddings.Providers;

namespace Cosmos.Embeddings.Batching;

/// <summary>Settings of a <see cref="BatchingEmbeddingGenerator"/>.</summary>
public sealed class EmbeddingBatchingOptions
{
    /// <summary>The most inputs sent in one request; the providers' own limits lower it further.</summary>
    /// <value>The default value is 100.</value>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>The most estimated tokens sent in one request; <see langword="null"/> leaves only the providers' limits.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? MaxBatchTokens { get; set; }

    /// <summary>The most batches in flight at once.</summary>
    /// <value>The default value is 4.</value>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Estimates the tokens of one input, for <see cref="MaxBatchTokens"/> and the providers' token budgets.</summary>
    /// <value>The default value is <see cref="EmbeddingProviderLimits.EstimateTokens"/>: <c>max(1, ⌈UTF-8 bytes / 3⌉)</c>, the same estimate the
    /// hosted providers check their budgets with, so a batch that fits here is never refused there. A replacement should not estimate lower.</value>
    public Func<string, int> TokenEstimator { get; set; } = EmbeddingProviderLimits.EstimateTokens;
}
