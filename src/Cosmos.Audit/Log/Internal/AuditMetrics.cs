using System.Diagnostics.Metrics;

namespace Cosmos.Audit.Log;

/// <summary>The instruments of the <c>Cosmos.Audit</c> meter that belong to the audit log and dead-letter queue.</summary>
/// <remarks>Instrument names follow SPEC (<c>audit_dlq_size</c>, <c>audit_dlq_oldest_event_age_seconds</c>, <c>audit_event_failures_total</c>).</remarks>
internal sealed class AuditMetrics : IDisposable
{
    public const string MeterName = "Cosmos.Audit";

    private readonly Meter? _ownedMeter;

    public AuditMetrics(IMeterFactory? meterFactory)
    {
        Meter meter;
        if (meterFactory is null)
        {
            meter = _ownedMeter = new Meter(MeterName);
        }
        else
        {
            meter = meterFactory.Create(MeterName);
        }

        Meter = meter;
        EventFailures = meter.CreateCounter<long>(
            "audit_event_failures_total",
            unit: "{event}",
            description: "Audit events the sink failed to store (first attempts and replays); each one was dead-lettered.");
        Replayed = meter.CreateCounter<long>(
            "audit_dlq_replayed_total",
            unit: "{event}",
            description: "Dead-lettered audit events stored in the sink by a replay.");
    }

    public Meter Meter { get; }

    public Counter<long> EventFailures { get; }

    public Counter<long> Replayed { get; }

    /// <summary>Publishes the queue's size and oldest-entry age as observable gauges.</summary>
    public void ObserveDeadLetterQueue(Func<long> size, Func<double> oldestAgeSeconds)
    {
        Meter.CreateObservableGauge(
            "audit_dlq_size",
            size,
            unit: "{event}",
            description: "Audit events waiting in the dead-letter queue.");
        Meter.CreateObservableGauge(
            "audit_dlq_oldest_event_age_seconds",
            oldestAgeSeconds,
            unit: "s",
            description: "Seconds since the oldest waiting dead-lettered event was queued (0 when empty).");
    }

    public void Dispose() => _ownedMeter?.Dispose();
}
