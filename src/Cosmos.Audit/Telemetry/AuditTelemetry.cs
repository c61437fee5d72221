namespace Cosmos.Audit.Telemetry;

/// <summary>The names under which Cosmos.Audit reports metrics and traces: one meter and one activity source for the whole package.</summary>
/// <remarks>
/// Subscribe with <c>builder.WithMetrics(m =&gt; m.AddMeter(AuditTelemetry.MeterName))</c> and
/// <c>builder.WithTracing(t =&gt; t.AddSource(AuditTelemetry.ActivitySourceName))</c>. The SPEC's metric names map to these
/// instruments (a Prometheus exporter renders them as shown in the package README): <c>audit_dlq_size</c> is
/// <see cref="DeadLetterSize"/>, <c>audit_dlq_oldest_event_age_seconds</c> is <see cref="DeadLetterOldestEventAge"/>,
/// <c>audit_event_failures_total</c> is <see cref="EventFailures"/>.
/// </remarks>
public static class AuditTelemetry
{
    /// <summary>The name of the package's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "Cosmos.Audit";

    /// <summary>The name of the package's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = "Cosmos.Audit";

    /// <summary>Counter, <c>{event}</c>: audit events the sink failed to store (tag <c>stage</c>: <c>write</c> or <c>replay</c>); each was dead-lettered.</summary>
    public const string EventFailures = "cosmos.audit.event.failures";

    /// <summary>Observable gauge, <c>{event}</c>: audit events waiting in the dead-letter queue.</summary>
    public const string DeadLetterSize = "cosmos.audit.dlq.size";

    /// <summary>Observable gauge, <c>s</c>: age of the oldest waiting dead-lettered event (0 when empty).</summary>
    public const string DeadLetterOldestEventAge = "cosmos.audit.dlq.oldest_event_age";

    /// <summary>Counter, <c>{event}</c>: dead-lettered events stored in the sink by a replay.</summary>
    public const string DeadLetterReplayed = "cosmos.audit.dlq.replayed";

    /// <summary>Counter, <c>{event}</c>: security events written to the audit log (tag <c>kind</c>).</summary>
    public const string SecurityEvents = "cosmos.audit.security_events";

    /// <summary>Counter, <c>{event}</c>: security events dropped by the rate limit (tag <c>kind</c>).</summary>
    public const string SecurityEventsSuppressed = "cosmos.audit.security_events.suppressed";

    /// <summary>Counter, <c>{write}</c>: writes refused before the store (tag <c>reason</c>: a validator name, <c>limits</c> or <c>concurrency</c>).</summary>
    public const string WritesRefused = "cosmos.audit.writes.refused";

    /// <summary>Counter, <c>{validation}</c>: access token validations (tags <c>result</c>, <c>cache_hit</c>).</summary>
    public const string TokenValidations = "cosmos.audit.token.validations";

    /// <summary>Counter, <c>{denial}</c>: permission checks that were denied (tag <c>permission</c>).</summary>
    public const string AuthorizationDenials = "cosmos.audit.authorization.denials";

    /// <summary>Counter, <c>{event}</c>: refresh tokens presented again after rotation (the family is revoked).</summary>
    public const string RefreshReuse = "cosmos.audit.token.refresh_reuse";

    /// <summary>The span of one audited write through the request pipeline (tags <c>cosmos.audit.action</c>, <c>cosmos.audit.collection</c>, <c>cosmos.audit.status</c>).</summary>
    public const string AuditedWriteSpan = "cosmos.audit.write";
}
