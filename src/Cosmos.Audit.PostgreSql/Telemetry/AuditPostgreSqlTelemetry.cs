namespace Cosmos.Audit.PostgreSql.Telemetry;

/// <summary>The names of the package's meter, activity source, instruments and spans, for hosts that subscribe to them.</summary>
public static class AuditPostgreSqlTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> of this package.</summary>
    public const string MeterName = "Cosmos.Audit.PostgreSql";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> of this package.</summary>
    public const string ActivitySourceName = "Cosmos.Audit.PostgreSql";

    /// <summary>Histogram of audit records per committed group-commit batch (<c>{record}</c>).</summary>
    public const string AuditBatchSize = "cosmos.audit.postgresql.audit.batch_size";

    /// <summary>Histogram of the time one audit batch took to commit, lock wait included (<c>s</c>).</summary>
    public const string AuditBatchDuration = "cosmos.audit.postgresql.audit.batch_duration";

    /// <summary>Counter of audit records appended to the chain (<c>{record}</c>).</summary>
    public const string AuditRecordsAppended = "cosmos.audit.postgresql.audit.records_appended";

    /// <summary>Counter of audit batches that failed (their appenders see the error; the publisher dead-letters the events) (<c>{batch}</c>).</summary>
    public const string AuditBatchFailures = "cosmos.audit.postgresql.audit.batch_failures";

    /// <summary>Counter of events appended to the event store (<c>{event}</c>).</summary>
    public const string EventsAppended = "cosmos.audit.postgresql.events.appended";

    /// <summary>Counter of appends refused by optimistic concurrency, event store and documents, tagged <c>store</c> (<c>{conflict}</c>).</summary>
    public const string ConcurrencyConflicts = "cosmos.audit.postgresql.concurrency_conflicts";

    /// <summary>Counter of refresh-token rotations, tagged <c>result</c> (<c>{rotation}</c>).</summary>
    public const string RefreshRotations = "cosmos.audit.postgresql.refresh.rotations";

    /// <summary>The span of one group-commit batch of the audit log.</summary>
    public const string AuditBatchSpan = "cosmos.audit.postgresql.audit.append_batch";

    /// <summary>The span of one audit log verification.</summary>
    public const string VerifySpan = "cosmos.audit.postgresql.audit.verify";

    /// <summary>The span of one event store append.</summary>
    public const string EventAppendSpan = "cosmos.audit.postgresql.events.append";

    /// <summary>The span of one audited document write (document and audit record in one transaction).</summary>
    public const string DocumentWriteSpan = "cosmos.audit.postgresql.documents.write";
}
