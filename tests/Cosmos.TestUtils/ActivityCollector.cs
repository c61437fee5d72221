using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cosmos.TestUtils;

/// <summary>Listens to one <see cref="ActivitySource"/> by name, samples every span it starts and records the stopped ones.</summary>
/// <remarks>
/// The listener is process-wide, so spans from tests running in parallel on the same source are recorded too: filter
/// with <see cref="For(string)"/> plus a tag, or give each test its own root span and use <see cref="DescendantsOf"/>.
/// </remarks>
public sealed class ActivityCollector : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    /// <summary>Starts listening to sources named <paramref name="sourceName"/>.</summary>
    /// <param name="sourceName">The activity source name, for example <c>Cosmos.Core</c>.</param>
    public ActivityCollector(string sourceName)
    {
        SourceName = sourceName;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Gets the name of the source listened to.</summary>
    public string SourceName { get; }

    /// <summary>Gets every stopped span so far, in the order they stopped.</summary>
    public IReadOnlyList<Activity> Activities => [.. _stopped];

    /// <summary>Gets the stopped spans with the given operation name.</summary>
    /// <param name="operationName">The span name.</param>
    /// <returns>The spans, in the order they stopped.</returns>
    public IReadOnlyList<Activity> For(string operationName) => [.. _stopped.Where(a => a.OperationName == operationName)];

    /// <summary>Gets the stopped spans whose parent chain leads to <paramref name="root"/>.</summary>
    /// <param name="root">The ancestor span.</param>
    /// <returns>The descendants, in the order they stopped.</returns>
    public IReadOnlyList<Activity> DescendantsOf(Activity root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return [.. _stopped.Where(a => a.TraceId == root.TraceId && a.SpanId != root.SpanId)];
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
