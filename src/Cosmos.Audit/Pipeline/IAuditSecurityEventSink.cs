namespace Cosmos.Audit.Pipeline;

/// <summary>Records failed authentications, denials and refused writes as audit events, rate-limited so that a flood of them
/// cannot exhaust the audit log.</summary>
/// <remarks>
/// <para>Registered by <c>AddCosmosAudit</c>; <see cref="IAuditPipeline"/> records its own denials and refusals, and an
/// authentication handler records the failures it sees. Each accepted event becomes one <see cref="Log.AuditEvent"/> (actions
/// <see cref="Log.AuditAction.AuthenticationFailed"/>, <see cref="Log.AuditAction.AccessDenied"/>,
/// <see cref="Log.AuditAction.WriteRefused"/>) in the same hash-chained log as the changes, through the dead-letter queue when the
/// sink fails.</para>
/// <para>The rate limit (see <see cref="AuditSecurityEventOptions"/>) counts per actor (or per source when the actor is unknown)
/// and in total per window; events over the limit are counted, not written, and the count is recorded as one
/// <see cref="Log.AuditAction.SecurityEventsSuppressed"/> event when the next window opens.</para>
/// </remarks>
public interface IAuditSecurityEventSink
{
    /// <summary>Records a security event unless the rate limit drops it.</summary>
    /// <param name="securityEvent">The event.</param>
    /// <param name="cancellationToken">Stops waiting for the write; the event may still be recorded.</param>
    /// <returns><see langword="true"/> when the event was written (or dead-lettered), <see langword="false"/> when the rate limit dropped it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="securityEvent"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The event has no reason.</exception>
    ValueTask<bool> RecordAsync(AuditSecurityEvent securityEvent, CancellationToken cancellationToken = default);
}
