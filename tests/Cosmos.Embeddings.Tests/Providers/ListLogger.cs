using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Tests.Providers;

/// <summary>Keeps every formatted log line and every structured value so tests can look for secrets.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}"))
            : string.Empty;
        Lines.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)} {values} {exception}");
    }
}
