using System.Net;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Providers.Internal;

// Event ids 4000-4099 belong to the hosted providers (the package's range is 4000-4499). Messages carry the configured provider name, never the API key.
internal static partial class ProviderLog
{
    [LoggerMessage(EventId = 4000, EventName = "EmbeddingRequestSucceeded", Level = LogLevel.Debug,
        Message = "Embedding provider {ProviderName} embedded {InputCount} inputs with model {ModelId} in {ElapsedMilliseconds} ms")]
    public static partial void RequestSucceeded(ILogger logger, string providerName, int inputCount, string? modelId, double elapsedMilliseconds);

    [LoggerMessage(EventId = 4001, EventName = "EmbeddingRequestFailed", Level = LogLevel.Warning,
        Message = "Embedding provider {ProviderName} failed with {Reason} (HTTP status {StatusCode}, retry after {RetryAfter}) after {ElapsedMilliseconds} ms")]
    public static partial void RequestFailed(ILogger logger, string providerName, EmbeddingProviderFailureReason reason, HttpStatusCode? statusCode, TimeSpan? retryAfter, double elapsedMilliseconds);
}
