using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cosmos.Audit.Pipeline;

namespace Cosmos.Audit.Telemetry;

/// <summary>Owns the package's <see cref="Meter"/> (from an injected <see cref="IMeterFactory"/>, or private when there is none)
/// and the static <see cref="ActivitySource"/>; every instrument of the audit log, queue and pipeline is created here.</summary>
internal sealed class AuditTelemetryInstruments : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(AuditTelemetry.ActivitySourceName);

    private readonly Meter? _ownedMeter;

    public AuditTelemetryInstruments(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(new MeterOptions(AuditTelemetry.MeterName)) ?? (_ownedMeter = new Meter(AuditTelemetry.MeterName));
        Meter = meter;
        EventFailures = meter.CreateCounter<long>(AuditTelemetry.EventFailures, "{event}",
            "Audit events the sink failed to store (first attempts and replays); each one was dead-lettered.");
        Replayed = meter.CreateCounter<long>(AuditTelemetry.DeadLetterReplayed, "{event}",
            "Dead-lettered audit events stored in the sink by a replay.");
        SecurityEvents = meter.CreateCounter<long>(AuditTelemetry.SecurityEvents, "{event}",
            "Security events (failed authentications, denials, refused writes) written to the audit log.");
        SecurityEventsSuppressed = meter.CreateCounter<long>(AuditTelemetry.SecurityEventsSuppressed, "{event}",
            "Security events dropped by the rate limit.");
        WritesRefused = meter.CreateCounter<long>(AuditTelemetry.WritesRefused, "{write}",
            "Writes refused before the store by a validator, the publishing limits or a stale version.");
    }

    public Meter Meter { get; }

    public Counter<long> EventFailures { get; }

    public Counter<long> Replayed { get; }

    public Counter<long> SecurityEvents { get; }

    public Counter<long> SecurityEventsSuppressed { get; }

    public Counter<long> WritesRefused { get; }

    public void SecurityEventRecorded(AuditSecurityEventKind kind)
    {
        if (SecurityEvents.Enabled)
        {
            SecurityEvents.Add(1, new KeyValuePair<string, object?>("kind", KindName(kind)));
        }
    }

    public void SecurityEventSuppressed(AuditSecurityEventKind kind)
    {
        if (SecurityEventsSuppressed.Enabled)
        {
            SecurityEventsSuppressed.Add(1, new KeyValuePair<string, object?>("kind", KindName(kind)));
        }
    }

    public void WriteRefused(string reason)
    {
        if (WritesRefused.Enabled)
        {
            WritesRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    /// <summary>Publishes the queue's size and oldest-entry age as observable gauges.</summary>
    public void ObserveDeadLetterQueue(Func<long> size, Func<double> oldestAgeSeconds)
    {
        Meter.CreateObservableGauge(AuditTelemetry.DeadLetterSize, size, "{event}", "Audit events waiting in the dead-letter queue.");
        Meter.CreateObservableGauge(AuditTelemetry.DeadLetterOldestEventAge, oldestAgeSeconds, "s",
            "Seconds since the oldest waiting dead-lettered event was queued (0 when empty).");
    }

    public void Dispose() => _ownedMeter?.Dispose();

    private static string KindName(AuditSecurityEventKind kind) => kind switch
    {
        AuditSecurityEventKind.AuthenticationFailed => "authentication_failed",
        AuditSecurityEventKind.AccessDenied => "access_denied",
        _ => "write_refused",
    };
}
