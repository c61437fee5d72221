using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Cosmos.Audit.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Cosmos.Audit.Log.Internal;

namespace Cosmos.Audit.Log;

/// <summary>
/// A durable queue of audit events a sink failed to store, kept as <c>audit_dlq_*.jsonl</c> files and replayed later.
/// </summary>
/// <remarks>
/// <para>Enqueues are group-committed like the audit log: callers are released once their batch is on disk.</para>
/// <para>A replay seals the file being written, sends every sealed entry to the sink and deletes a file only after all of its
/// entries were stored or re-queued. Exactly-once: entries are deduplicated by event id within a replay, and before each write the
/// sink is asked <see cref="IAuditSink.ContainsAsync"/>, so an event whose failed write in fact took effect, or a file replayed
/// again after a crash, is not stored twice.</para>
/// <para>Metrics (meter <c>Cosmos.Audit</c>): <c>audit_dlq_size</c>, <c>audit_dlq_oldest_event_age_seconds</c>, <c>audit_event_failures_total</c>
/// (replays that fail again), <c>audit_dlq_replayed_total</c>.</para>
/// </remarks>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "'Dead-letter queue' is the domain term hosts search for.")]
public sealed class AuditDeadLetterQueue : IAsyncDisposable, IDisposable
{
    private const string FilePrefix = "audit_dlq_";
    private const string FileExtension = ".jsonl";

    private readonly AuditDeadLetterQueueOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly AuditTelemetryInstruments _metrics;
    private readonly bool _ownsTelemetry;
    private readonly object _gate = new();
    private readonly List<Segment> _sealed = [];
    private readonly SemaphoreSlim _replayGate = new(1, 1);
    private Segment? _current;
    private int _fileCounter;
    private bool _disposed;

    /// <summary>Opens the queue in <see cref="AuditDeadLetterQueueOptions.Directory"/>, counting the dead letters already there.</summary>
    /// <param name="options">Where and how to store dead letters.</param>
    /// <param name="timeProvider">The clock for timestamps and ages; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>Cosmos.Audit</c> meter; a private meter when <see langword="null"/>.</param>
    /// <param name="logger">Receives replay and corruption messages; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    /// <exception cref="IOException">The directory cannot be created or read.</exception>
    public AuditDeadLetterQueue(
        AuditDeadLetterQueueOptions options,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null,
        ILogger<AuditDeadLetterQueue>? logger = null)
        : this(options, timeProvider, new AuditTelemetryInstruments(meterFactory), ownsTelemetry: true, logger)
    {
    }

    /// <summary>Opens the queue reporting through the package's shared instruments (dependency injection).</summary>
    internal AuditDeadLetterQueue(
        AuditDeadLetterQueueOptions options,
        TimeProvider? timeProvider,
        AuditTelemetryInstruments telemetry,
        bool ownsTelemetry,
        ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ownsTelemetry = ownsTelemetry;
        options.Validate();
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        DirectoryPath = Path.GetFullPath(options.Directory);
        Directory.CreateDirectory(DirectoryPath);
        foreach (var path in Directory.EnumerateFiles(DirectoryPath, FilePrefix + "*" + FileExtension).Order(StringComparer.Ordinal))
        {
            _sealed.Add(Segment.Scan(path));
        }

        _metrics = telemetry;
        _metrics.ObserveDeadLetterQueue(() => Count, () => OldestEntryAge?.TotalSeconds ?? 0d);
    }

    /// <summary>The full path of the directory holding the dead-letter files.</summary>
    public string DirectoryPath { get; }

    /// <summary>The number of dead letters waiting (repeated copies of one event count separately).</summary>
    public long Count
    {
        get
        {
            lock (_gate)
            {
                var count = _current?.Count ?? 0;
                foreach (var segment in _sealed)
                {
                    count += segment.Count;
                }

                return count;
            }
        }
    }

    /// <summary>How long the oldest waiting dead letter has been queued, or <see langword="null"/> when the queue is empty.</summary>
    public TimeSpan? OldestEntryAge
    {
        get
        {
            DateTimeOffset? oldest = null;
            lock (_gate)
            {
                foreach (var segment in _sealed.Append(_current))
                {
                    if (segment?.Oldest is { } at && (oldest is null || at < oldest))
                    {
                        oldest = at;
                    }
                }
            }

            return oldest is null ? null : _timeProvider.GetUtcNow() - oldest.Value;
        }
    }

    internal AuditTelemetryInstruments Metrics => _metrics;

    /// <summary>Durably queues an event the sink failed to store; completes once it is on disk.</summary>
    /// <param name="auditEvent">The event.</param>
    /// <param name="error">Why the sink failed (its type and message are kept), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops waiting; the event may still be queued.</param>
    /// <returns>A task that completes when the dead letter is durable.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="auditEvent"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    /// <exception cref="IOException">The dead letter could not be written.</exception>
    public ValueTask EnqueueAsync(AuditEvent auditEvent, Exception? error = null, CancellationToken cancellationToken = default)
    {
        AuditEventJson.Validate(auditEvent, nameof(auditEvent));
        return EnqueueCoreAsync(auditEvent, error is null ? null : error.GetType().Name + ": " + error.Message, attempts: 1, cancellationToken);
    }

    private async ValueTask EnqueueCoreAsync(AuditEvent auditEvent, string? error, int attempts, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var payload = Serialize(auditEvent, error, attempts, _timeProvider.GetUtcNow(), out var length);
        var entry = new GroupCommitEntry(auditEvent.EventId, payload, length);
        while (true)
        {
            var segment = CurrentSegment();
            if (segment.Writer!.TryEnqueue(entry))
            {
                await entry.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            if (segment.Writer.Fault is { } fault)
            {
                entry.ReturnPayload();
                throw new IOException($"The dead-letter file '{segment.Path}' cannot be written.", fault);
            }

            // The segment was sealed by a replay between CurrentSegment and TryEnqueue: use the next one.
        }
    }

    /// <summary>Sends every sealed dead letter to <paramref name="sink"/>; entries that fail again go back into the queue.</summary>
    /// <param name="sink">The sink to replay into.</param>
    /// <param name="cancellationToken">Stops the replay; entries not yet replayed stay queued.</param>
    /// <returns>What the replay did.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The queue is disposed.</exception>
    public async Task<AuditReplayResult> ReplayAsync(IAuditSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        await _replayGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await SealCurrentAsync().ConfigureAwait(false);
            Segment[] segments;
            lock (_gate)
            {
                segments = [.. _sealed];
            }

            var totals = new ReplayTotals();
            var seen = new HashSet<Guid>();
            foreach (var segment in segments)
            {
                await ReplaySegmentAsync(sink, segment, seen, totals, cancellationToken).ConfigureAwait(false);
            }

            var result = new AuditReplayResult(totals.Written, totals.AlreadyPresent, totals.Duplicates, totals.Failed, totals.Unreadable);
            if (segments.Length > 0)
            {
                AuditLogMessages.Replayed(_logger, result.Written, result.AlreadyPresent, result.Duplicates, result.Failed);
            }

            return result;
        }
        finally
        {
            _replayGate.Release();
        }
    }

    private async Task ReplaySegmentAsync(IAuditSink sink, Segment segment, HashSet<Guid> seen, ReplayTotals totals, CancellationToken cancellationToken)
    {
        var (entries, unreadable) = await Segment.ReadAsync(segment.Path, cancellationToken).ConfigureAwait(false);
        totals.Unreadable += unreadable;
        var pending = new List<Task>(_options.ReplayConcurrency);
        foreach (var entry in entries)
        {
            if (!seen.Add(entry.Event.EventId))
            {
                totals.Duplicates++;
                continue;
            }

            pending.Add(ReplayOneAsync(sink, entry, totals, cancellationToken));
            if (pending.Count == _options.ReplayConcurrency)
            {
                await Task.WhenAll(pending).ConfigureAwait(false);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending).ConfigureAwait(false);

        // Every entry is now in the sink or durably re-queued: the file can go.
        lock (_gate)
        {
            _sealed.Remove(segment);
        }

        if (unreadable == 0)
        {
            File.Delete(segment.Path);
        }
        else if (File.Exists(segment.Path))
        {
            var keptAs = segment.Path + ".unreadable";
            File.Move(segment.Path, keptAs, overwrite: true);
            AuditLogMessages.MalformedDeadLetters(_logger, segment.Path, unreadable, keptAs);
        }
    }

    private async Task ReplayOneAsync(IAuditSink sink, DeadLetter entry, ReplayTotals totals, CancellationToken cancellationToken)
    {
        try
        {
            if (await sink.ContainsAsync(entry.Event.EventId, cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Increment(ref totals.AlreadyPresent);
                return;
            }

            await sink.WriteAsync(entry.Event, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref totals.Written);
            _metrics.Replayed.Add(1);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref totals.Failed);
            _metrics.EventFailures.Add(1, new KeyValuePair<string, object?>("stage", "replay"));
            await EnqueueCoreAsync(entry.Event, ex.GetType().Name + ": " + ex.Message, entry.Attempts + 1, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private Segment CurrentSegment()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is not null)
            {
                return _current;
            }

            var now = _timeProvider.GetUtcNow().UtcDateTime;
            while (true)
            {
                var name = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{FilePrefix}{now:yyyyMMdd'T'HHmmssfff}_{Environment.ProcessId}_{++_fileCounter:D6}{FileExtension}");
                var path = Path.Combine(DirectoryPath, name);
                FileStream stream;
                try
                {
                    stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 0, FileOptions.None);
                }
                catch (IOException) when (File.Exists(path))
                {
                    continue;
                }

                var segment = new Segment(path);
                segment.Open(stream, _options);
                _current = segment;
                return segment;
            }
        }
    }

    private async Task SealCurrentAsync()
    {
        Segment? current;
        lock (_gate)
        {
            current = _current;
            _current = null;
            if (current is not null)
            {
                _sealed.Add(current);
            }
        }

        if (current is not null)
        {
            // Drains entries enqueued before the swap, so the sealed file is complete before it is read.
            await current.CloseAsync().ConfigureAwait(false);
        }
    }

    private static byte[] Serialize(AuditEvent auditEvent, string? error, int attempts, DateTimeOffset now, out int length)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("deadLetteredAt"u8, now.UtcDateTime);
            writer.WriteNumber("attempts"u8, attempts);
            if (error is not null)
            {
                writer.WriteString("error"u8, error);
            }

            writer.WritePropertyName("event"u8);
            AuditEventJson.Write(writer, auditEvent);
            writer.WriteEndObject();
        }

        length = buffer.WrittenCount + 1;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        buffer.WrittenSpan.CopyTo(rented);
        rented[length - 1] = (byte)'\n';
        return rented;
    }

    /// <summary>Writes the queued dead letters and closes the current file; waits for a running replay to finish.</summary>
    /// <returns>A task that completes when the queue is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _replayGate.WaitAsync().ConfigureAwait(false);
        try
        {
            Segment? current;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                current = _current;
                _current = null;
            }

            if (current is not null)
            {
                await current.CloseAsync().ConfigureAwait(false);
            }

            if (_ownsTelemetry)
            {
                _metrics.Dispose();
            }
        }
        finally
        {
            _replayGate.Release();
        }
    }

    /// <summary>Writes the queued dead letters and closes the current file (blocks; prefer <see cref="DisposeAsync"/>).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private sealed class ReplayTotals
    {
        public int Written;
        public int AlreadyPresent;
        public int Duplicates;
        public int Failed;
        public int Unreadable;
    }

    private readonly record struct DeadLetter(AuditEvent Event, int Attempts);

    /// <summary>One dead-letter file: its entry count and oldest entry time, and while current, its writer.</summary>
    private sealed class Segment(string path) : IGroupCommitFramer
    {
        private int _batchCount;
        private FileStream? _stream;

        public string Path { get; } = path;

        public long Count { get; private set; }

        public DateTimeOffset? Oldest { get; private set; }

        public GroupCommitWriter? Writer { get; private set; }

        public DateTimeOffset? BatchOldest { get; private set; }

        public static Segment Scan(string path)
        {
            var segment = new Segment(path);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var reader = new JsonlLineReader(stream, stream.Length);
            while (reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
            {
                if (!reader.Terminated)
                {
                    break;
                }

                segment.Count++;
                if (segment.Oldest is null && TryReadTime(reader.Line, out var at))
                {
                    segment.Oldest = at;
                }
            }

            return segment;
        }

        public static async Task<(List<DeadLetter> Entries, int Unreadable)> ReadAsync(string path, CancellationToken cancellationToken)
        {
            var entries = new List<DeadLetter>();
            var unreadable = 0;
            if (!File.Exists(path))
            {
                // Removed by an operator: nothing left to replay from it.
                return (entries, unreadable);
            }

            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                var reader = new JsonlLineReader(stream, stream.Length);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!reader.Terminated)
                    {
                        // A torn enqueue whose caller was never released (it saw the failure and kept the event).
                        break;
                    }

                    try
                    {
                        using var document = JsonDocument.Parse(reader.Line.ToArray());
                        var root = document.RootElement;
                        var auditEvent = AuditEventJson.Read(root.GetProperty("event"));
                        var attempts = root.TryGetProperty("attempts", out var a) && a.TryGetInt32(out var n) ? n : 1;
                        entries.Add(new DeadLetter(auditEvent, attempts));
                    }
                    catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
                    {
                        unreadable++;
                    }
                }
            }

            return (entries, unreadable);
        }

        private static bool TryReadTime(ReadOnlySpan<byte> line, out DateTimeOffset at)
        {
            at = default;
            try
            {
                var reader = new Utf8JsonReader(line);
                if (reader.Read() && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("deadLetteredAt"u8)
                    && reader.Read() && reader.TryGetDateTimeOffset(out at))
                {
                    return true;
                }
            }
            catch (JsonException)
            {
            }

            return false;
        }

        public void Open(FileStream stream, AuditDeadLetterQueueOptions options)
        {
            _stream = stream;
            Writer = new GroupCommitWriter(stream, this, options.MaxBatchSize, options.FlushToDisk, TimeSpan.FromMicroseconds(100));
        }

        public async Task CloseAsync()
        {
            if (Writer is not null)
            {
                await Writer.DisposeAsync().ConfigureAwait(false);
            }

            if (_stream is not null)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }

        public void Frame(GroupCommitEntry entry, IBufferWriter<byte> output)
        {
            if (_batchCount == 0 && Oldest is null)
            {
                TryReadTime(entry.Payload.AsSpan(0, entry.Length), out var at);
                BatchOldest = at;
            }

            output.Write(entry.Payload.AsSpan(0, entry.Length));
            _batchCount++;
            entry.Position = Count + _batchCount;
        }

        public void Commit(IReadOnlyList<GroupCommitEntry> batch)
        {
            // Count and Oldest are read under the queue's lock through properties; a torn read of a long is not possible on 64-bit.
            Oldest ??= BatchOldest;
            Count += _batchCount;
            _batchCount = 0;
        }

        public void Abort()
        {
            _batchCount = 0;
            BatchOldest = null;
        }
    }
}
