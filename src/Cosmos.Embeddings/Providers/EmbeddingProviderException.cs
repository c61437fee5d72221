using System.Net;

namespace Cosmos.Embeddings.Providers;

/// <summary>A hosted embedding provider failed; <see cref="Reason"/> says why and whether trying again may help.</summary>
/// <remarks>
/// Providers never retry: retrying, backing off and falling back are the pipeline's job. A caller that retries
/// should wait at least <see cref="RetryAfter"/> when it is set. Messages never contain API keys.
/// </remarks>
public sealed class EmbeddingProviderException : Exception
{
    /// <summary>Creates an exception with <see cref="EmbeddingProviderFailureReason.ServerError"/> and a default message.</summary>
    public EmbeddingProviderException()
        : this(EmbeddingProviderFailureReason.ServerError, "The embedding provider failed.")
    {
    }

    /// <summary>Creates an exception with <see cref="EmbeddingProviderFailureReason.ServerError"/>.</summary>
    /// <param name="message">The error message.</param>
    public EmbeddingProviderException(string message)
        : this(EmbeddingProviderFailureReason.ServerError, message)
    {
    }

    /// <summary>Creates an exception with <see cref="EmbeddingProviderFailureReason.ServerError"/> and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public EmbeddingProviderException(string message, Exception? innerException)
        : this(EmbeddingProviderFailureReason.ServerError, message, innerException)
    {
    }

    /// <summary>Creates an exception for <paramref name="reason"/>.</summary>
    /// <param name="reason">Why the provider failed.</param>
    /// <param name="message">The error message; must not contain secrets.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public EmbeddingProviderException(EmbeddingProviderFailureReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the provider failed.</summary>
    public EmbeddingProviderFailureReason Reason { get; }

    /// <summary>The configured name of the provider that failed (<see cref="EmbeddingProviderOptions.Name"/>), if known.</summary>
    public string? ProviderName { get; init; }

    /// <summary>The HTTP status code the server answered with, or <see langword="null"/> when no response was received.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>How long the server asked the caller to wait before trying again (from <c>retry-after-ms</c> or <c>Retry-After</c>), or <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Whether trying again later (or on another provider) may succeed: true for
    /// <see cref="EmbeddingProviderFailureReason.Unavailable"/>, <see cref="EmbeddingProviderFailureReason.Timeout"/>,
    /// <see cref="EmbeddingProviderFailureReason.RateLimited"/> and <see cref="EmbeddingProviderFailureReason.ServerError"/>.</summary>
    public bool IsTransient => Reason is EmbeddingProviderFailureReason.Unavailable
        or EmbeddingProviderFailureReason.Timeout
        or EmbeddingProviderFailureReason.RateLimited
        or EmbeddingProviderFailureReason.ServerError;
}
