using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cosmos.Audit.PostgreSql.Telemetry;

namespace Cosmos.Audit.PostgreSql.Internal;

/// <summary>Owns the package's <see cref="Meter"/> (from the host's <see cref="IMeterFactory"/>) and the static <see cref="ActivitySource"/>.</summary>
internal sealed class AuditPostgreSqlMetrics : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(AuditPostgreSqlTelemetry.ActivitySourceName);

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public AuditPostgreSqlMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(AuditPostgreSqlTelemetry.MeterName)) ?? new Meter(AuditPostgreSqlTelemetry.MeterName);
        AuditBatchSize = _meter.CreateHistogram<int>(AuditPostgreSqlTelemetry.AuditBatchSize, "{record}", "Audit records per committed batch.");
        AuditBatchDuration = _meter.CreateHistogram<double>(AuditPostgreSqlTelemetry.AuditBatchDuration, "s", "Time to commit one audit batch, lock wait included.");
        AuditRecordsAppended = _meter.CreateCounter<long>(AuditPostgreSqlTelemetry.AuditRecordsAppended, "{record}", "Audit records appended to the chain.");
        AuditBatchFailures = _meter.CreateCounter<long>(AuditPostgreSqlTelemetry.AuditBatchFailures, "{batch}", "Audit batches that failed.");
        EventsAppended = _meter.CreateCounter<long>(AuditPostgreSqlTelemetry.EventsAppended, "{event}", "Events appended to the event store.");
        ConcurrencyConflicts = _meter.CreateCounter<long>(AuditPostgreSqlTelemetry.ConcurrencyConflicts, "{conflict}", "Writes refused by optimistic concurrency.");
        RefreshRotations = _meter.CreateCounter<long>(AuditPostgreSqlTelemetry.RefreshRotations, "{rotation}", "Refresh-token rotations by result.");
    }

    public Histogram<int> AuditBatchSize { get; }

    public Histogram<double> AuditBatchDuration { get; }

    public Counter<long> AuditRecordsAppended { get; }

    public Counter<long> AuditBatchFailures { get; }

    public Counter<long> EventsAppended { get; }

    public Counter<long> ConcurrencyConflicts { get; }

    public Counter<long> RefreshRotations { get; }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
