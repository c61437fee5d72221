using System.Net;
using Cosmos.Embeddings.Providers;
using Polly.CircuitBreaker;

namespace Cosmos.Embeddings.Fallback;

/// <summary>Maps a provider failure to the low-cardinality <c>reason</c> tag of <c>embedding_errors_total</c>.</summary>
internal static class FailureReason
{
    public const string CircuitOpen = "circuit_open";
    public const string ModelMismatch = "model_mismatch";
    public const string Timeout = "timeout";
    public const string RateLimited = "rate_limited";
    public const string ServerError = "server_error";
    public const string ClientError = "client_error";
    public const string Unreachable = "unreachable";
    public const string InvalidResponse = "invalid_response";
    public const string Error = "error";

    public static string Classify(Exception exception)
    {
        return exception switch
        {
            EmbeddingProviderException provider => FromProvider(provider.Reason),
            BrokenCircuitException => CircuitOpen,
            EmbeddingModelMismatchException => ModelMismatch,
            TimeoutException => Timeout,
            OperationCanceledException { InnerException: TimeoutException } => Timeout,
            OperationCanceledException => Timeout,
            HttpRequestException { StatusCode: HttpStatusCode.TooManyRequests } => RateLimited,
            HttpRequestException { StatusCode: >= HttpStatusCode.InternalServerError } => ServerError,
            HttpRequestException { StatusCode: not null } => ClientError,
            HttpRequestException => Unreachable,
            System.Text.Json.JsonException or FormatException or InvalidDataException => InvalidResponse,
            _ => Error,
        };
    }

    /// <summary>Whether a failure says something about the provider's health; a request the provider refused as invalid does not.</summary>
    public static bool CountsAgainstProvider(Exception exception) => exception switch
    {
        ArgumentException => false,
        EmbeddingProviderException { Reason: EmbeddingProviderFailureReason.BadRequest } => false,
        _ => true,
    };

    private static string FromProvider(EmbeddingProviderFailureReason reason) => reason switch
    {
        EmbeddingProviderFailureReason.Unavailable => Unreachable,
        EmbeddingProviderFailureReason.Timeout => Timeout,
        EmbeddingProviderFailureReason.RateLimited => RateLimited,
        EmbeddingProviderFailureReason.ServerError => ServerError,
        EmbeddingProviderFailureReason.Unauthorized => "unauthorized",
        EmbeddingProviderFailureReason.BadRequest => ClientError,
        EmbeddingProviderFailureReason.MalformedResponse => InvalidResponse,
        EmbeddingProviderFailureReason.DimensionMismatch => "dimension_mismatch",
        _ => Error,
    };
}
