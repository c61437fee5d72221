using System.Buffers;
using Cosmos.Audit.Log.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cosmos.Audit.Log;

/// <summary>
/// The default audit sink: a durable, tamper-evident JSONL file in which every record carries the previous record's hash.
/// </summary>
/// <remarks>
/// <para>Each line is <c>{"seq":N,"prev":"&lt;hex&gt;","event":{...},"hash":"&lt;hex&gt;"}</c> with
/// <c>hash = SHA-256("cosmos-audit-v1\0" || prev || the line's bytes before ,"hash":)</c>; the first prev is 32 zero bytes.</para>
/// <para>Appends are group-committed: one writer loop batches queued appends into one write and one flush to disk,
/// and each appender's task completes when its batch is durable.</para>
/// <para>On open the whole chain is verified; a torn last line (no trailing newline, left by a crash mid-append) is cut and the
/// chain resumes from the last good record. Any other broken record makes open fail: the log is evidence and is never silently repaired.</para>
/// <para>One writer per path: the log holds an operating-system lock on <c>&lt;path&gt;.lock</c> from open to dispose, so a second
/// <see cref="OpenAsync"/> on the same path, in this process or another, fails at once with <see cref="AuditLogLockedException"/>
/// naming the path and the holder. Readers (<see cref="VerifyAsync(string, CancellationToken)"/>) are not blocked.</para>
/// <para>Appends are idempotent by <see cref="AuditEvent.EventId"/>: the ids of all records are kept in memory (about 40 bytes each).</para>
/// </remarks>
public sealed partial class AuditLogFile : IAuditSink, IAsyncDisposable, IDisposable
{
    private readonly AuditLogFileOptions _options;
    private readonly ILogger _logger;
    // Every record's event id with its sequence. Ids of a batch being written are entered at once with their (not yet
    // committed) sequence, so one lookup both finds duplicates within the batch and, compared with the committed count,
    // tells readers whether the record is durable; committing a batch then costs nothing per record.
    private readonly Dictionary<Guid, long> _ids = [];
    private readonly Lock _idsGate = new();
    private readonly Task _open;
    private readonly Framer _framer;
    private GroupCommitWriter? _writer;
    private FileStream? _stream;
    private AuditLogLock? _lock;
    private readonly TimeProvider _timeProvider;
    private readonly AuditCheckpointSigner? _checkpointSigner;
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private readonly IAuditCheckpointSink[] _checkpointSinks;
    private ITimer? _checkpointTimer;
    private AuditCheckpoint? _lastCheckpoint;
    private bool _checkpointsClosed;
    private int _disposed;

    private AuditLogFile(string path, AuditLogFileOptions options, ILogger? logger, TimeProvider? timeProvider, IEnumerable<IAuditCheckpointSink>? extraSinks)
    {
        FilePath = Path.GetFullPath(path);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = options.TimeProvider ?? timeProvider ?? TimeProvider.System;
        _checkpointSinks = [.. options.Checkpoints.Sinks, .. extraSinks ?? []];
        if (options.Checkpoints.Keys is { Count: > 0 })
        {
            _checkpointSigner = new AuditCheckpointSigner(options.Checkpoints);
            CheckpointOrigin = options.Checkpoints.Origin ?? Path.GetFileName(FilePath);
        }

        _framer = new Framer(this);
        _open = Task.Run(OpenCoreAsync);
    }

    /// <summary>The full path of the log file.</summary>
    public string FilePath { get; }

    /// <summary>The name written into this log's checkpoints, or <see langword="null"/> when checkpoints are off.</summary>
    public string? CheckpointOrigin { get; }

    /// <summary>The full path of the file the log appends its signed checkpoints to (<c>&lt;log&gt;.checkpoints.jsonl</c>).</summary>
    public string CheckpointFilePath => FilePath + ".checkpoints.jsonl";

    /// <summary>The last checkpoint this instance wrote, or <see langword="null"/>.</summary>
    public AuditCheckpoint? LastCheckpoint => Volatile.Read(ref _lastCheckpoint);

    /// <summary>The number of durable records.</summary>
    public long Count => Volatile.Read(ref _framer.CommittedCount);

    /// <summary>The lowercase hex hash of the last durable record (64 zeros for an empty log); anchor it elsewhere to detect truncation.</summary>
    public string LastHash
    {
        get
        {
            lock (_framer)
            {
                return AuditRecordFormat.ToHex(_framer.CommittedHash);
            }
        }
    }

    private (long Count, string Hash) Snapshot()
    {
        lock (_framer)
        {
            return (_framer.CommittedCount, AuditRecordFormat.ToHex(_framer.CommittedHash));
        }
    }

    /// <summary>Signs a checkpoint of the durable log now and stores it in <see cref="CheckpointFilePath"/> and every configured
    /// <see cref="AuditCheckpointOptions.Sinks"/>.</summary>
    /// <param name="cancellationToken">Cancels waiting for the open or the sinks.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="InvalidOperationException">No checkpoint key is configured, or the active key cannot sign.</exception>
    /// <exception cref="IOException">The checkpoint file could not be written.</exception>
    public async Task<AuditCheckpoint> WriteCheckpointAsync(CancellationToken cancellationToken = default)
    {
        if (_checkpointSigner is null)
        {
            throw new InvalidOperationException("No checkpoint key is configured (AuditLogFileOptions.Checkpoints.Keys).");
        }

        await _open.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _checkpointGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_checkpointsClosed, this);
            var (count, hash) = Snapshot();
            var checkpoint = _checkpointSigner.Sign(CheckpointOrigin!, count, hash, _timeProvider.GetUtcNow());
            var line = System.Text.Encoding.UTF8.GetBytes(checkpoint.ToJson() + "\n");
            var file = new FileStream(CheckpointFilePath, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
            await using (file.ConfigureAwait(false))
            {
                await file.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                file.Flush(_options.FlushToDisk);
            }

            foreach (var sink in _checkpointSinks)
            {
                await sink.WriteAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            }

            Volatile.Write(ref _lastCheckpoint, checkpoint);
            AuditLogMessages.CheckpointWritten(_logger, FilePath, count);
            return checkpoint;
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    private void OnCheckpointTick()
    {
        // Nothing new since the last checkpoint: the last one still describes the log.
        if (Volatile.Read(ref _disposed) != 0 || LastCheckpoint?.Sequence == Count)
        {
            return;
        }

        _ = WriteCheckpointInBackgroundAsync();
    }

    private async Task WriteCheckpointInBackgroundAsync()
    {
        try
        {
            await WriteCheckpointAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ObjectDisposedException)
        {
            AuditLogMessages.CheckpointFailed(_logger, ex, FilePath);
        }
    }

    /// <summary>The number of bytes of a torn last line cut when the file was opened (0 when the file ended cleanly).</summary>
    public long RecoveredTornBytes { get; private set; }

    /// <summary>The number of group-commit batches written since open (each one write and one flush).</summary>
    internal long BatchCount => _writer?.BatchCount ?? 0;

    /// <summary>Opens (or creates) the log at <paramref name="path"/>, verifies it and cuts a torn last line.</summary>
    /// <param name="path">The file path; its directory is created if missing.</param>
    /// <param name="options">Batching and durability settings; defaults when <see langword="null"/>.</param>
    /// <param name="logger">Receives recovery and failure messages; optional.</param>
    /// <param name="cancellationToken">Stops waiting for the open to finish.</param>
    /// <returns>The open log.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidDataException">A record before the last line is broken: the log was tampered with or damaged.</exception>
    /// <exception cref="AuditLogLockedException">Another writer holds the log.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static async Task<AuditLogFile> OpenAsync(string path, AuditLogFileOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var log = Create(path, options, logger);
        try
        {
            await log._open.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await log.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return log;
    }

    /// <summary>Completes when the background open has finished; throws what the open threw.</summary>
    internal Task WhenOpenAsync(CancellationToken cancellationToken) => _open.WaitAsync(cancellationToken);

    /// <summary>Starts opening the log in the background; appends wait for the open to finish (used by dependency injection).</summary>
    internal static AuditLogFile Create(
        string path,
        AuditLogFileOptions? options,
        ILogger? logger,
        TimeProvider? timeProvider = null,
        IEnumerable<IAuditCheckpointSink>? extraSinks = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new AuditLogFileOptions();
        options.Validate();
        return new AuditLogFile(path, options, logger, timeProvider, extraSinks);
    }

    /// <summary>Appends an event and completes once it is durable; an event id already in the log is not appended again.</summary>
    /// <param name="auditEvent">The event; it is serialized before this method returns.</param>
    /// <param name="cancellationToken">Stops waiting; the event may still be appended (a retry is safe: appends are idempotent).</param>
    /// <returns>The record's sequence number (1-based), or the existing record's for a repeated event id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="auditEvent"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The event has no author, collection or document id.</exception>
    /// <exception cref="ObjectDisposedException">The log is disposed.</exception>
    /// <exception cref="IOException">The batch holding the event could not be written.</exception>
    public ValueTask<long> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        AuditEventJson.Validate(auditEvent, nameof(auditEvent));
        cancellationToken.ThrowIfCancellationRequested();
        if (!_open.IsCompletedSuccessfully)
        {
            return AppendAfterOpenAsync(auditEvent, cancellationToken);
        }

        var task = Enqueue(auditEvent);

        // No state machine on the common path: the appender awaits the batch's task directly.
        return cancellationToken.CanBeCanceled ? new ValueTask<long>(task.WaitAsync(cancellationToken)) : new ValueTask<long>(task);
    }

    private async ValueTask<long> AppendAfterOpenAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        await _open.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await Enqueue(auditEvent).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<long> Enqueue(AuditEvent auditEvent)
    {
        var payload = AuditEventJson.SerializeToRented(auditEvent, out var length);
        var entry = new GroupCommitEntry(auditEvent.EventId, payload, length);
        if (Volatile.Read(ref _disposed) != 0 || !_writer!.TryEnqueue(entry))
        {
            entry.ReturnPayload();
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            throw new IOException("The audit log writer stopped after an earlier failure.", _writer!.Fault);
        }

        return entry.Task;
    }

    /// <inheritdoc />
    async ValueTask IAuditSink.WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        await AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);

    /// <summary>Tells whether an event with <paramref name="eventId"/> is durably in the log.</summary>
    /// <param name="eventId">The event id.</param>
    /// <param name="cancellationToken">Stops waiting for the log to open.</param>
    /// <returns><see langword="true"/> when the log holds the event.</returns>
    public async ValueTask<bool> ContainsAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        if (!_open.IsCompletedSuccessfully)
        {
            await _open.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        lock (_idsGate)
        {
            return _ids.TryGetValue(eventId, out var sequence) && sequence <= Count;
        }
    }

    /// <summary>Verifies the durable part of this log (appends in flight are not yet part of it).</summary>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>Valid, or the first broken record with its line number, sequence and reason.</returns>
    public async Task<AuditLogVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await _open.WaitAsync(cancellationToken).ConfigureAwait(false);
        var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await VerifyCoreAsync(stream, Math.Min(_writer!.CommittedLength, stream.Length), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Verifies the log file at <paramref name="path"/> from its first record to its last byte.</summary>
    /// <param name="path">The log file.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>Valid, or the first broken record with its line number, sequence and reason.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static async Task<AuditLogVerification> VerifyAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await VerifyCoreAsync(stream, stream.Length, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Verifies the log file at <paramref name="path"/> and that it extends a signed checkpoint: the checkpoint's signature
    /// is valid, the log still holds at least the checkpoint's records (no truncation), and the record at the checkpoint's sequence
    /// has the checkpoint's hash (no re-chaining).</summary>
    /// <remarks>The checkpoint's <see cref="AuditCheckpoint.Origin"/> names the log it was made for; check it is the log you mean
    /// when one key signs checkpoints of several logs.</remarks>
    /// <param name="path">The log file.</param>
    /// <param name="checkpoint">A checkpoint kept where the log's writer could not rewrite it.</param>
    /// <param name="signer">Holds the checkpoint keys (a public ECDSA key suffices).</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>Valid, or why not: <see cref="AuditLogFailure.CheckpointSignatureInvalid"/>, <see cref="AuditLogFailure.Truncated"/>,
    /// <see cref="AuditLogFailure.CheckpointMismatch"/>, or a broken record.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="checkpoint"/> or <paramref name="signer"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static async Task<AuditLogVerification> VerifyAsync(string path, AuditCheckpoint checkpoint, AuditCheckpointSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(signer);
        if (!signer.Verify(checkpoint))
        {
            return new AuditLogVerification(AuditLogFailure.CheckpointSignatureInvalid, 0, AuditRecordFormat.ToHex(AuditRecordHasher.GenesisHash), null, null,
                $"the checkpoint (key '{checkpoint.KeyId}') is not validly signed by a known checkpoint key");
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await VerifyCoreAsync(stream, stream.Length, cancellationToken, checkpoint).ConfigureAwait(false);
        }
    }

    /// <summary>Verifies a log held in any stream, from its current position to its end.</summary>
    internal static Task<AuditLogVerification> VerifyAsync(Stream stream, CancellationToken cancellationToken) =>
        VerifyCoreAsync(stream, stream.Length - stream.Position, cancellationToken);

    private static async Task<AuditLogVerification> VerifyCoreAsync(Stream stream, long length, CancellationToken cancellationToken, AuditCheckpoint? checkpoint = null)
    {
        var verifier = new AuditChainVerifier();
        if (checkpoint is { Sequence: 0 } && !string.Equals(checkpoint.HeadHash, AuditRecordFormat.ToHex(AuditRecordHasher.GenesisHash), StringComparison.Ordinal))
        {
            return verifier.Broken(AuditLogFailure.CheckpointMismatch, 0, "the checkpoint of an empty log names a head hash other than zeros");
        }

        var reader = new JsonlLineReader(stream, length);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!reader.Terminated)
            {
                return verifier.Broken(AuditLogFailure.IncompleteRecord, reader.LineNumber, "the last line has no terminating newline (a torn append or a cut file)");
            }

            var failure = verifier.Check(reader.Line, out _, out var message);
            if (failure != AuditLogFailure.None)
            {
                return verifier.Broken(failure, reader.LineNumber, message!);
            }

            if (checkpoint is not null && verifier.Count == checkpoint.Sequence
                && !string.Equals(AuditRecordFormat.ToHex(verifier.LastHash), checkpoint.HeadHash, StringComparison.Ordinal))
            {
                return verifier.Broken(
                    AuditLogFailure.CheckpointMismatch,
                    reader.LineNumber,
                    $"record {checkpoint.Sequence} does not have the hash the signed checkpoint of {AuditCheckpoint.FormatTimestamp(checkpoint.Timestamp)} names: the log was rewritten from this record or earlier");
            }
        }

        if (checkpoint is not null && verifier.Count < checkpoint.Sequence)
        {
            return verifier.Broken(
                AuditLogFailure.Truncated,
                verifier.Count + 1,
                $"the log holds {verifier.Count} records but a signed checkpoint of {AuditCheckpoint.FormatTimestamp(checkpoint.Timestamp)} says it held {checkpoint.Sequence}: records were cut from the end");
        }

        return verifier.Valid();
    }

    private async Task OpenCoreAsync()
    {
        var directory = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // One writer per path, across processes: taken before the file is read so no other writer can extend it meanwhile.
        var writerLock = AuditLogLock.Acquire(FilePath, TimeProvider.System);

        // bufferSize 0: every batch goes to the OS in exactly one write.
        FileStream stream;
        try
        {
            stream = new FileStream(FilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 0, FileOptions.None);
        }
        catch
        {
            writerLock.Dispose();
            throw;
        }

        try
        {
            var verifier = new AuditChainVerifier();
            var reader = new JsonlLineReader(stream, stream.Length);
            var goodLength = 0L;
            while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                if (!reader.Terminated)
                {
                    // A torn append: the crash happened before this batch was acknowledged, so cutting it loses nothing promised.
                    RecoveredTornBytes = stream.Length - reader.LineOffset;
                    break;
                }

                var failure = verifier.Check(reader.Line, out var eventId, out var message);
                if (failure != AuditLogFailure.None)
                {
                    var broken = verifier.Broken(failure, reader.LineNumber, message!);
                    throw new InvalidDataException($"The audit log '{FilePath}' is broken: {broken}.");
                }

                lock (_idsGate)
                {
                    _ids.TryAdd(eventId, verifier.Count);
                }
                goodLength = reader.LineOffset + reader.Line.Length + 1;
            }

            if (RecoveredTornBytes > 0)
            {
                stream.SetLength(goodLength);
                stream.Flush(flushToDisk: true);
                AuditLogMessages.TornRecordCut(_logger, FilePath, RecoveredTornBytes, verifier.Count);
            }

            _framer.Resume(verifier.Count, verifier.LastHash);
            _stream = stream;
            _lock = writerLock;
            _writer = new GroupCommitWriter(stream, _framer, _options.MaxBatchSize, _options.FlushToDisk, _options.GatherWindow)
            {
                BatchFailed = (ex, count) => AuditLogMessages.BatchWriteFailed(_logger, ex, FilePath, count),
            };
            if (_checkpointSigner is not null && _options.Checkpoints.Interval != Timeout.InfiniteTimeSpan)
            {
                var interval = _options.Checkpoints.Interval;
                _checkpointTimer = _timeProvider.CreateTimer(static state => ((AuditLogFile)state!).OnCheckpointTick(), this, interval, interval);
            }
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            writerLock.Dispose();
            throw;
        }
    }

    /// <summary>Writes every queued append, then closes the file.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _open.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The open failure was already reported to whoever awaited it; there is nothing to flush.
            return;
        }

        if (_checkpointTimer is not null)
        {
            await _checkpointTimer.DisposeAsync().ConfigureAwait(false);
        }

        await _writer!.DisposeAsync().ConfigureAwait(false);
        if (_checkpointSigner is not null && _checkpointSigner.CanSign)
        {
            // The last word on the log: a checkpoint of everything this writer made durable.
            await WriteCheckpointInBackgroundAsync().ConfigureAwait(false);
        }

        if (_checkpointSigner is not null)
        {
            // A tick that started before dispose may still be waiting for the gate: close the gate before the keys go.
            await _checkpointGate.WaitAsync().ConfigureAwait(false);
            _checkpointsClosed = true;
            _checkpointGate.Release();
            _checkpointSigner.Dispose();
        }

        await _stream!.DisposeAsync().ConfigureAwait(false);
        _lock!.Dispose();
    }

    /// <summary>Writes every queued append, then closes the file (blocks; prefer <see cref="DisposeAsync"/>).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Frames records with sequence and hash chain; tentative state per batch, made permanent on commit.</summary>
    private sealed class Framer(AuditLogFile owner) : IGroupCommitFramer
    {
        private readonly List<Guid> _batchIds = [];
        private readonly byte[] _workingHash = new byte[AuditRecordFormat.HashSize];
        private readonly byte[] _nextHash = new byte[AuditRecordFormat.HashSize];
        private long _workingCount;

        public long CommittedCount;

        public byte[] CommittedHash { get; } = new byte[AuditRecordFormat.HashSize];

        public void Resume(long count, ReadOnlySpan<byte> lastHash)
        {
            CommittedCount = count;
            _workingCount = count;
            lastHash.CopyTo(CommittedHash);
            lastHash.CopyTo(_workingHash);
        }

        public void Frame(GroupCommitEntry entry, IBufferWriter<byte> output)
        {
            var sequence = _workingCount + 1;
            lock (owner._idsGate)
            {
                if (!owner._ids.TryAdd(entry.Key, sequence))
                {
                    entry.Position = owner._ids[entry.Key];
                    return;
                }
            }

            _batchIds.Add(entry.Key);
            AuditRecordFormat.Write(output, sequence, _workingHash, entry.Payload.AsSpan(0, entry.Length), _nextHash);
            _nextHash.CopyTo(_workingHash, 0);
            _workingCount = sequence;
            entry.Position = sequence;
        }

        public void Commit(IReadOnlyList<GroupCommitEntry> batch)
        {
            _batchIds.Clear();
            // Count and hash change together under the lock, so a checkpoint never pairs one batch's count with another's hash.
            lock (this)
            {
                _workingHash.CopyTo(CommittedHash, 0);
                Volatile.Write(ref CommittedCount, _workingCount);
            }
        }

        public void Abort()
        {
            lock (owner._idsGate)
            {
                foreach (var id in _batchIds)
                {
                    owner._ids.Remove(id);
                }
            }

            _batchIds.Clear();
            _workingCount = CommittedCount;
            CommittedHash.CopyTo(_workingHash, 0);
        }

    }
}
