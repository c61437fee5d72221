namespace Cosmos.Embeddings.Fallback;

/// <summary>Thrown by a <see cref="FallbackEmbeddingGenerator"/> when every provider failed or was skipped by its open circuit breaker.</summary>
/// <remarks>The <see cref="Exception.InnerException"/> is an <see cref="AggregateException"/> holding each provider's failure, in chain order.</remarks>
public sealed class EmbeddingProvidersUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public EmbeddingProvidersUnavailableException()
        : base("Every embedding provider failed or is unavailable.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public EmbeddingProvidersUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the providers' failures.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The providers' failures.</param>
    public EmbeddingProvidersUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why each provider was not used, keyed by provider name in chain order (e.g. <c>timeout</c>, <c>circuit_open</c>, <c>model_mismatch</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ProviderReasons { get; init; } = [];
}
