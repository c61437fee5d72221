namespace Cosmos.Audit.Log;

/// <summary>Where <see cref="AuditPublisher.PublishAsync"/> put an event.</summary>
public enum AuditPublishOutcome
{
    /// <summary>The sink stored the event.</summary>
    Written = 0,

    /// <summary>The sink failed; the event is durably in the dead-letter queue and will be replayed.</summary>
    DeadLettered = 1,
}
