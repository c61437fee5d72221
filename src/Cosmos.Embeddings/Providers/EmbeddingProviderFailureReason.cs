namespace Cosmos.Embeddings.Providers;

/// <summary>Why a hosted embedding provider failed to return embeddings.</summary>
public enum EmbeddingProviderFailureReason
{
    /// <summary>The server could not be reached (connection refused, DNS failure, connection reset). Transient.</summary>
    Unavailable,

    /// <summary>The request did not complete within the configured timeout (or the server answered 408). Transient.</summary>
    Timeout,

    /// <summary>The server answered 429; <see cref="EmbeddingProviderException.RetryAfter"/> says when to try again if the server said so. Transient.</summary>
    RateLimited,

    /// <summary>The server answered with a 5xx status. Transient.</summary>
    ServerError,

    /// <summary>The server rejected the credentials (401 or 403).</summary>
    Unauthorized,

    /// <summary>The server rejected the request (a 4xx status other than 401, 403, 408 and 429).</summary>
    BadRequest,

    /// <summary>The response was not the documented JSON, had the wrong number of vectors, or contained non-finite values.</summary>
    MalformedResponse,

    /// <summary>A vector's length differed from the configured dimensions (or from the first vector's length when none is configured).</summary>
    DimensionMismatch,
}
