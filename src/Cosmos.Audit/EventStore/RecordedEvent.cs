namespace Cosmos.Audit.EventStore;

/// <summary>An event as stored: where it sits in its stream and in the global order, and when it was recorded.</summary>
/// <param name="StreamId">The stream the event belongs to.</param>
/// <param name="Version">The event's version within its stream (1 for the first).</param>
/// <param name="Position">The event's position in the global order of all streams (1 for the first event of the store).</param>
/// <param name="EventId">The event's unique id.</param>
/// <param name="EventType">The event's type name.</param>
/// <param name="Data">The payload, as appended.</param>
/// <param name="Metadata">The metadata, as appended (empty when none).</param>
/// <param name="RecordedAt">When the store recorded the event (UTC).</param>
public sealed record RecordedEvent(
    string StreamId,
    long Version,
    long Position,
    Guid EventId,
    string EventType,
    ReadOnlyMemory<byte> Data,
    ReadOnlyMemory<byte> Metadata,
    DateTimeOffset RecordedAt);
