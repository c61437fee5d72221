namespace Cosmos.Embeddings.Fallback;

/// <summary>Settings of a <see cref="FallbackEmbeddingGenerator"/>: model mixing and the per-provider circuit breaker.</summary>
public sealed class FallbackEmbeddingGeneratorOptions
{
    /// <summary>What to do when a fallback provider produces another model or dimension than the first provider.</summary>
    /// <value>The default value is <see cref="ModelMixingPolicy.Fail"/>.</value>
    public ModelMixingPolicy ModelMixing { get; set; } = ModelMixingPolicy.Fail;

    /// <summary>Failure ratio within <see cref="CircuitBreakerSamplingDuration"/> at or above which a provider's breaker opens; in (0, 1].</summary>
    /// <value>The default value is 0.5.</value>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed within <see cref="CircuitBreakerSamplingDuration"/> before the breaker may open; at least 2.</summary>
    /// <value>The default value is 5.</value>
    public int CircuitBreakerMinimumThroughput { get; set; } = 5;

    /// <summary>Window over which the failure ratio is measured; at least 500 ms.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an opened breaker skips its provider before letting one trial call through; at least 500 ms.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
