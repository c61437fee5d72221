using System.Runtime.CompilerServices;

namespace Cosmos.Audit.EventStore;

/// <summary>An <see cref="IEventStore"/> in process memory, for the quickstart, tests and single-process tools; contents are lost on exit.</summary>
/// <remarks>
/// Appends take one lock, so the global order is the order appends committed in; readers work on a snapshot of the list
/// length and never block appends. Payloads are copied in, so a caller may reuse its buffers after the append returns.
/// A subscription waits on a signal that every append completes, so it wakes at once and never polls.
/// </remarks>
public sealed class InMemoryEventStore : IEventStore
{
    private readonly object _gate = new();
    private readonly List<RecordedEvent> _all = [];
    private readonly Dictionary<string, List<RecordedEvent>> _streams = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private TaskCompletionSource _appended = NewSignal();

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock for <see cref="RecordedEvent.RecordedAt"/>; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public InMemoryEventStore(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public Task<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        EventStoreLimits.ValidateAppend(streamId, expectedVersion, events);
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource signal;
        AppendResult result;
        lock (_gate)
        {
            _streams.TryGetValue(streamId, out var stream);
            var actual = stream?.Count ?? 0;
            if (expectedVersion != ExpectedVersion.Any && expectedVersion != actual)
            {
                throw new WrongExpectedVersionException(streamId, expectedVersion, actual);
            }

            if (stream is null)
            {
                stream = [];
                _streams.Add(streamId, stream);
            }

            var now = _timeProvider.GetUtcNow();
            foreach (var e in events)
            {
                var recorded = new RecordedEvent(
                    streamId, stream.Count + 1, _all.Count + 1, e.EventId, e.EventType, e.Data.ToArray(), e.Metadata.ToArray(), now);
                stream.Add(recorded);
                _all.Add(recorded);
            }

            result = new AppendResult(stream.Count, _all.Count);
            signal = _appended;
            _appended = NewSignal();
        }

        signal.TrySetResult();
        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EventStoreLimits.ValidateStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 1);
        await Task.CompletedTask.ConfigureAwait(false);
        List<RecordedEvent>? stream;
        int count;
        lock (_gate)
        {
            _streams.TryGetValue(streamId, out stream);
            count = stream?.Count ?? 0;
        }

        for (var i = fromVersion - 1; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RecordedEvent item;
            lock (_gate)
            {
                item = stream![(int)i];
            }

            yield return item;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedEvent> ReadAllAsync(long afterPosition = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        await Task.CompletedTask.ConfigureAwait(false);
        var head = Head(out _);
        for (var p = afterPosition; p < head; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return At(p);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedEvent> SubscribeToAllAsync(long afterPosition = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        var next = afterPosition;
        while (true)
        {
            // Take the signal together with the head: an append after this point completes the signal we wait on.
            var head = Head(out var signal);
            for (; next < head; next++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return At(next);
            }

            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private long Head(out TaskCompletionSource signal)
    {
        lock (_gate)
        {
            signal = _appended;
            return _all.Count;
        }
    }

    private RecordedEvent At(long index)
    {
        lock (_gate)
        {
            return _all[(int)index];
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
