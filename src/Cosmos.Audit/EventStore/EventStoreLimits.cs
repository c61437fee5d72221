namespace Cosmos.Audit.EventStore;

/// <summary>Argument checks shared by every <see cref="IEventStore"/> implementation, so they refuse the same input.</summary>
internal static class EventStoreLimits
{
    /// <summary>The longest stream id and event type name, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Checks the arguments of <see cref="IEventStore.AppendAsync"/>.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="expectedVersion">The expected version.</param>
    /// <param name="events">The events.</param>
    /// <exception cref="ArgumentException">An argument is invalid; the message names it (and the index of a null event).</exception>
    public static void ValidateAppend(string streamId, long expectedVersion, IReadOnlyList<EventData> events)
    {
        ValidateStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedVersion, ExpectedVersion.Any);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("At least one event is required.", nameof(events));
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is null)
            {
                throw new ArgumentException($"events[{i}] is null.", nameof(events));
            }
        }
    }

    /// <summary>Checks a stream id.</summary>
    /// <param name="streamId">The stream.</param>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is null, empty or longer than <see cref="MaxNameLength"/>.</exception>
    public static void ValidateStreamId(string streamId)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(streamId.Length, MaxNameLength, nameof(streamId));
    }
}
