namespace Cosmos.Audit.Log;

/// <summary>Where audit events are stored: the default is the hash-chained <see cref="AuditLogFile"/>; hosts may plug in their own store.</summary>
/// <remarks>
/// Idempotency contract: a sink stores each <see cref="AuditEvent.EventId"/> at most once. The dead-letter replay asks
/// <see cref="ContainsAsync"/> before every <see cref="WriteAsync"/>, so a write that failed after it took effect
/// (a timeout, a lost acknowledgement) is not stored twice, provided <see cref="ContainsAsync"/> reports every write
/// that completed. Sinks that can also make <see cref="WriteAsync"/> itself skip known ids (as <see cref="AuditLogFile"/>
/// does) are safe under concurrent replays too.
/// </remarks>
public interface IAuditSink
{
    /// <summary>Stores <paramref name="auditEvent"/> durably; completes once it is stored.</summary>
    /// <param name="auditEvent">The event.</param>
    /// <param name="cancellationToken">Stops waiting; the event may or may not have been stored.</param>
    /// <returns>A task that completes when the event is stored.</returns>
    ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default);

    /// <summary>Tells whether an event with <paramref name="eventId"/> is already stored.</summary>
    /// <param name="eventId">The event id.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns><see langword="true"/> when the sink holds the event.</returns>
    ValueTask<bool> ContainsAsync(Guid eventId, CancellationToken cancellationToken = default);
}
