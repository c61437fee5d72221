using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Telemetry;

/// <summary>Source-generated log messages of the embedding pipeline; event ids 4100-4199 are stable (the package's range is 4000-4499).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4100, EventName = "ProviderFailed", Level = LogLevel.Warning,
        Message = "Embedding provider '{Provider}' failed ({Reason}) for {Count} inputs; trying the next provider")]
    public static partial void ProviderFailed(ILogger logger, string provider, string reason, int count, Exception exception);

    [LoggerMessage(EventId = 4101, EventName = "ProviderCircuitOpen", Level = LogLevel.Debug,
        Message = "Embedding provider '{Provider}' skipped: its circuit breaker is open")]
    public static partial void ProviderCircuitOpen(ILogger logger, string provider);

    [LoggerMessage(EventId = 4102, EventName = "FallbackAnswered", Level = LogLevel.Information,
        Message = "Embedding fallback provider '{Provider}' (model '{ModelId}') answered {Count} inputs")]
    public static partial void FallbackAnswered(ILogger logger, string provider, string? modelId, int count);

    [LoggerMessage(EventId = 4103, EventName = "ProviderModelMismatch", Level = LogLevel.Warning,
        Message = "Embedding provider '{Provider}' skipped: its model space '{ProviderModelSpace}' differs from the chain's '{ChainModelSpace}' and model mixing is not allowed")]
    public static partial void ProviderModelMismatch(ILogger logger, string provider, string providerModelSpace, string chainModelSpace);

    [LoggerMessage(EventId = 4104, EventName = "CircuitOpened", Level = LogLevel.Warning,
        Message = "Embedding provider '{Provider}' circuit breaker opened for {BreakDuration}")]
    public static partial void CircuitOpened(ILogger logger, string provider, TimeSpan breakDuration);

    [LoggerMessage(EventId = 4105, EventName = "CircuitClosed", Level = LogLevel.Information,
        Message = "Embedding provider '{Provider}' circuit breaker closed")]
    public static partial void CircuitClosed(ILogger logger, string provider);

    [LoggerMessage(EventId = 4110, EventName = "BatchFailed", Level = LogLevel.Warning,
        Message = "Embedding batch of {Count} inputs starting at input {FirstIndex} failed")]
    public static partial void BatchFailed(ILogger logger, int count, int firstIndex, Exception exception);
}
