using System.Globalization;
using System.Text;
using Cosmos.Audit.Authors;
using Cosmos.Audit.Log;
using Cosmos.Audit.Telemetry;

namespace Cosmos.Audit.Pipeline.Internal;

/// <summary>
/// The default <see cref="IAuditSecurityEventSink"/>: a fixed-window rate limit per actor or source and in total, then one
/// audit event per admitted security event through the publisher (sink or dead-letter queue).
/// </summary>
/// <remarks>
/// Fixed windows rather than a sliding log keep the state to one counter per partition, cleared when the window turns, so a
/// flood from many sources costs at most <see cref="AuditSecurityEventOptions.PermitsPerWindow"/> partitions of memory and
/// records per window. What is dropped is counted and written as a single summary event when the next window opens.
/// </remarks>
internal sealed class AuditSecurityEventRecorder : IAuditSecurityEventSink
{
    private const string AnonymousPartition = "\0anonymous";

    private readonly AuthorStringSigner _authors;
    private readonly AuditPublisher _publisher;
    private readonly TimeProvider _timeProvider;
    private readonly AuditSecurityEventOptions _options;
    private readonly AuditTelemetryInstruments? _telemetry;
    private readonly Dictionary<string, int> _partitions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _admittedInWindow;
    private long _suppressed;

    public AuditSecurityEventRecorder(
        AuthorStringSigner authors,
        AuditPublisher publisher,
        TimeProvider timeProvider,
        AuditSecurityEventOptions options,
        AuditTelemetryInstruments? telemetry = null)
    {
        _authors = authors;
        _publisher = publisher;
        _timeProvider = timeProvider;
        _options = options;
        _telemetry = telemetry;
    }

    public async ValueTask<bool> RecordAsync(AuditSecurityEvent securityEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        ArgumentException.ThrowIfNullOrEmpty(securityEvent.Reason, nameof(securityEvent));
        if (!Enum.IsDefined(securityEvent.Kind))
        {
            throw new ArgumentException($"The security event kind {(int)securityEvent.Kind} is not defined.", nameof(securityEvent));
        }

        var now = _timeProvider.GetUtcNow();
        var partition = securityEvent.Actor?.UserId ?? (securityEvent.Source is { Length: > 0 } source ? "src:" + source : AnonymousPartition);
        long suppressedBefore;
        lock (_gate)
        {
            suppressedBefore = TurnWindow(now);
            if (!Admit(partition))
            {
                _suppressed++;
                _telemetry?.SecurityEventSuppressed(securityEvent.Kind);
                return false;
            }
        }

        if (suppressedBefore > 0)
        {
            await _publisher.PublishAsync(
                new AuditEvent
                {
                    EventId = Guid.CreateVersion7(now),
                    Action = AuditAction.SecurityEventsSuppressed,
                    Author = string.Empty,
                    Collection = string.Empty,
                    DocumentId = string.Empty,
                    OccurredAt = now,
                    Reason = suppressedBefore.ToString(CultureInfo.InvariantCulture) + " security events over the rate limit were not recorded",
                },
                cancellationToken).ConfigureAwait(false);
        }

        var auditEvent = new AuditEvent
        {
            EventId = Guid.CreateVersion7(now),
            Action = securityEvent.Kind switch
            {
                AuditSecurityEventKind.AuthenticationFailed => AuditAction.AuthenticationFailed,
                AuditSecurityEventKind.AccessDenied => AuditAction.AccessDenied,
                _ => AuditAction.WriteRefused,
            },
            Author = securityEvent.Actor is { } actor ? _authors.Sign(actor) : string.Empty,
            Collection = Clean(securityEvent.Collection) ?? string.Empty,
            DocumentId = Clean(securityEvent.DocumentId) ?? string.Empty,
            OccurredAt = now,
            Reason = Clean(securityEvent.Reason),
            Target = JoinTarget(Clean(securityEvent.Target), Clean(securityEvent.Source)),
        };
        await _publisher.PublishAsync(auditEvent, cancellationToken).ConfigureAwait(false);
        _telemetry?.SecurityEventRecorded(securityEvent.Kind);
        return true;
    }

    private long TurnWindow(DateTimeOffset now)
    {
        if (now - _windowStart < _options.Window && now >= _windowStart)
        {
            return 0;
        }

        _windowStart = now;
        _admittedInWindow = 0;
        _partitions.Clear();
        var suppressed = _suppressed;
        _suppressed = 0;
        return suppressed;
    }

    private bool Admit(string partition)
    {
        if (_admittedInWindow >= _options.PermitsPerWindow)
        {
            return false;
        }

        _partitions.TryGetValue(partition, out var used);
        if (used >= _options.PermitsPerPartition)
        {
            return false;
        }

        _partitions[partition] = used + 1;
        _admittedInWindow++;
        return true;
    }

    private static string? JoinTarget(string? target, string? source) => (target, source) switch
    {
        (null, null) => null,
        (_, null) => target,
        (null, _) => "from " + source,
        _ => target + " from " + source,
    };

    /// <summary>Cuts long text and writes lone surrogates as visible <c>\uXXXX</c> so that two different inputs never log alike.</summary>
    private string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > _options.MaxTextLength)
        {
            text = string.Concat(text.AsSpan(0, _options.MaxTextLength), "…");
        }

        if (AuditTextRules.IndexOfInvalidText(text) < 0 && text.IndexOf('\\', StringComparison.Ordinal) < 0)
        {
            return text;
        }

        // Backslashes are doubled so that an input containing the text "\uD800" stays distinct from a lone surrogate.
        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else if (c == '\\')
            {
                builder.Append(@"\\");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
