namespace Cosmos.Audit.EventStore;

/// <summary>An append-only store of events grouped in streams, each with a per-stream version, plus one global order.</summary>
/// <remarks>
/// <para>Versions within a stream start at 1 and have no gaps; a stream's version is the version of its last event
/// (0 when it has none). Positions in the global order start at 1, increase with every appended event and are committed
/// in order, so a reader that has seen position <c>p</c> never later finds an event below <c>p</c>.</para>
/// <para>Implementations: <see cref="InMemoryEventStore"/> (embedded, for the quickstart and tests) and the PostgreSQL
/// store of Cosmos.Audit.PostgreSql. Both pass the same contract tests.</para>
/// </remarks>
public interface IEventStore
{
    /// <summary>Appends <paramref name="events"/> to <paramref name="streamId"/> if the stream is at <paramref name="expectedVersion"/>; all or none are stored.</summary>
    /// <param name="streamId">The stream (1 to 200 characters).</param>
    /// <param name="expectedVersion">The version the stream must be at (0 for a new stream), or <see cref="ExpectedVersion.Any"/>.</param>
    /// <param name="events">The events, at least one.</param>
    /// <param name="cancellationToken">Cancels the append; the events may or may not have been stored if it fires after the request was sent.</param>
    /// <returns>The stream's new version and the global position of the last appended event.</returns>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is empty or too long, or <paramref name="events"/> is empty or holds a null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is below <see cref="ExpectedVersion.Any"/>.</exception>
    /// <exception cref="WrongExpectedVersionException">The stream is at another version; nothing was stored.</exception>
    Task<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default);

    /// <summary>Reads the events of <paramref name="streamId"/> in version order, starting at <paramref name="fromVersion"/>.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="fromVersion">The first version to return (1 for the whole stream).</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The events; empty when the stream has no event at or after <paramref name="fromVersion"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromVersion"/> is below 1.</exception>
    IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default);

    /// <summary>Reads the events of every stream in global order, starting after <paramref name="afterPosition"/>; ends at the current head.</summary>
    /// <param name="afterPosition">The last position already seen (0 for everything).</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The events in position order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterPosition"/> is negative.</exception>
    IAsyncEnumerable<RecordedEvent> ReadAllAsync(long afterPosition = 0, CancellationToken cancellationToken = default);

    /// <summary>A catch-up subscription: reads every event after <paramref name="afterPosition"/>, then waits for and returns new
    /// events as they are appended, until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="afterPosition">The last position the subscriber has processed (0 for everything).</param>
    /// <param name="cancellationToken">Ends the subscription (the enumeration then throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>An endless sequence of events in position order, without gaps or repeats.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterPosition"/> is negative.</exception>
    IAsyncEnumerable<RecordedEvent> SubscribeToAllAsync(long afterPosition = 0, CancellationToken cancellationToken = default);
}
