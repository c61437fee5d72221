namespace Cosmos.Audit.EventStore;

/// <summary>An event to append: its id, its type name and its payload, opaque to the store (UTF-8 JSON is customary).</summary>
public sealed record EventData
{
    /// <summary>Creates an event to append.</summary>
    /// <param name="eventId">The event's unique id.</param>
    /// <param name="eventType">The event's type name (1 to 200 characters), e.g. <c>OrderPlaced</c>.</param>
    /// <param name="data">The payload; stored byte for byte.</param>
    /// <param name="metadata">Optional metadata (correlation ids, author); stored byte for byte.</param>
    /// <exception cref="ArgumentException"><paramref name="eventId"/> is empty or <paramref name="eventType"/> is empty or longer than 200 characters.</exception>
    public EventData(Guid eventId, string eventType, ReadOnlyMemory<byte> data, ReadOnlyMemory<byte> metadata = default)
    {
        if (eventId == Guid.Empty)
        {
            throw new ArgumentException("The event id must not be empty.", nameof(eventId));
        }

        ArgumentException.ThrowIfNullOrEmpty(eventType);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(eventType.Length, EventStoreLimits.MaxNameLength, nameof(eventType));
        EventId = eventId;
        EventType = eventType;
        Data = data;
        Metadata = metadata;
    }

    /// <summary>Gets the event's unique id.</summary>
    public Guid EventId { get; }

    /// <summary>Gets the event's type name.</summary>
    public string EventType { get; }

    /// <summary>Gets the payload.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Gets the metadata (empty when none).</summary>
    public ReadOnlyMemory<byte> Metadata { get; }
}
