using System.Diagnostics.Metrics;
using Cosmos.Audit.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Cosmos.Audit.Log.Internal;

namespace Cosmos.Audit.Log;

/// <summary>Sends audit events to the sink; when the sink fails, the event is dead-lettered so that none is lost.</summary>
public sealed class AuditPublisher : IDisposable
{
    private readonly IAuditSink _sink;
    private readonly AuditDeadLetterQueue _deadLetters;
    private readonly AuditTelemetryInstruments _metrics;
    private readonly bool _ownsTelemetry;
    private readonly ILogger _logger;

    /// <summary>Creates a publisher over <paramref name="sink"/> with <paramref name="deadLetters"/> as its fallback.</summary>
    /// <param name="sink">Where events are stored.</param>
    /// <param name="deadLetters">Where events go when the sink fails.</param>
    /// <param name="meterFactory">Creates the <c>Cosmos.Audit</c> meter (for <c>audit_event_failures_total</c>); a private meter when <see langword="null"/>.</param>
    /// <param name="logger">Receives a warning for each dead-lettered event; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> or <paramref name="deadLetters"/> is <see langword="null"/>.</exception>
    public AuditPublisher(IAuditSink sink, AuditDeadLetterQueue deadLetters, IMeterFactory? meterFactory = null, ILogger<AuditPublisher>? logger = null)
        : this(sink, deadLetters, new AuditTelemetryInstruments(meterFactory), ownsTelemetry: true, logger)
    {
    }

    /// <summary>Creates a publisher reporting through the package's shared instruments (dependency injection).</summary>
    internal AuditPublisher(IAuditSink sink, AuditDeadLetterQueue deadLetters, AuditTelemetryInstruments telemetry, bool ownsTelemetry, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(deadLetters);
        _sink = sink;
        _deadLetters = deadLetters;
        _metrics = telemetry;
        _ownsTelemetry = ownsTelemetry;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The sink events are sent to.</summary>
    internal IAuditSink Sink => _sink;

    /// <summary>The queue failed events are kept in.</summary>
    public AuditDeadLetterQueue DeadLetters => _deadLetters;

    /// <summary>Stores the event in the sink, or, if the sink throws or the wait is canceled, durably in the dead-letter queue.</summary>
    /// <param name="auditEvent">The event.</param>
    /// <param name="cancellationToken">Stops waiting for the sink; the event is then dead-lettered (the change it records has happened).</param>
    /// <returns>Where the event went.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="auditEvent"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">Both the sink and the dead-letter queue failed: the event could not be kept.</exception>
    public async ValueTask<AuditPublishOutcome> PublishAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        AuditEventJson.Validate(auditEvent, nameof(auditEvent));
        try
        {
            await _sink.WriteAsync(auditEvent, cancellationToken).ConfigureAwait(false);
            return AuditPublishOutcome.Written;
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            _metrics.EventFailures.Add(1, new KeyValuePair<string, object?>("stage", "write"));
            AuditLogMessages.SinkWriteFailed(_logger, ex, auditEvent.EventId);

            // The change is done; the record of it must survive even if the caller gave up waiting.
            await _deadLetters.EnqueueAsync(auditEvent, ex, CancellationToken.None).ConfigureAwait(false);
            return AuditPublishOutcome.DeadLettered;
        }
    }

    /// <summary>Replays the dead-letter queue into the sink (see <see cref="AuditDeadLetterQueue.ReplayAsync"/>).</summary>
    /// <param name="cancellationToken">Stops the replay; entries not yet replayed stay queued.</param>
    /// <returns>What the replay did.</returns>
    public Task<AuditReplayResult> ReplayDeadLettersAsync(CancellationToken cancellationToken = default) =>
        _deadLetters.ReplayAsync(_sink, cancellationToken);

    /// <summary>Releases the private meter, if one was created.</summary>
    public void Dispose()
    {
        if (_ownsTelemetry)
        {
            _metrics.Dispose();
        }
    }
}
