using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Cosmos.Audit.Log;
using Cosmos.Audit.Log.Internal;
using Cosmos.Audit.PostgreSql.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Cosmos.Audit.PostgreSql.Log;

/// <summary>
/// The audit log on PostgreSQL: one hash chain shared by every host, in one total order, with the same records, hashing and
/// verification as the file log (<see cref="AuditLogFile"/>).
/// </summary>
/// <remarks>
/// <para>Group commit per host: appends queue in memory; one writer loop takes up to <see cref="AuditPostgreSqlOptions.MaxBatchSize"/>
/// of them and writes them in one transaction, and every appender's task completes when that transaction has committed.
/// Batches form while the previous one commits, so the batch size follows the load.</para>
/// <para>Order across hosts: each batch transaction first takes a transaction-scoped advisory lock (one key per schema), then reads the
/// chain head (the highest <c>seq</c> and its hash, through the primary key), links its records to it and inserts them with binary
/// COPY. The lock is held until commit or rollback, so batches from all hosts form one chain with no gap and no fork; a host that dies
/// mid-batch loses its connection, its transaction rolls back and the lock passes on. The advisory lock was chosen over a locked head
/// row because it needs no updatable table: the writer role holds only INSERT and SELECT on the log.</para>
/// <para>Append-only by construction: a trigger refuses UPDATE, DELETE and TRUNCATE on the table, for every role including its owner.</para>
/// <para>Idempotent on event id: an event id already in the log is not written again (the dead-letter replay relies on this).</para>
/// </remarks>
public sealed class PostgreSqlAuditLog : IAuditSink, IAsyncDisposable
{
    private readonly SchemaGate _schema;
    private readonly int _maxBatchSize;
    private readonly int _readBatchSize;
    private readonly AuditChain _chain;
    private readonly TimeProvider _timeProvider;
    private readonly AuditPostgreSqlMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<PendingRecord> _queue = Channel.CreateUnbounded<PendingRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <summary>Creates the log over <paramref name="dataSource"/>.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="options">Schema and batching; the defaults when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Creates the logger; optional.</param>
    /// <param name="meterFactory">Creates the <c>Cosmos.Audit.PostgreSql</c> meter; a private meter when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The schema name is invalid.</exception>
    /// <param name="timeProvider">The clock for checkpoint timestamps; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public PostgreSqlAuditLog(
        NpgsqlDataSource dataSource,
        AuditPostgreSqlOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null,
        TimeProvider? timeProvider = null)
        : this(CreateGate(dataSource, options ??= new AuditPostgreSqlOptions(), loggerFactory), options, loggerFactory, new AuditPostgreSqlMetrics(meterFactory), timeProvider)
    {
    }

    internal PostgreSqlAuditLog(SchemaGate schema, AuditPostgreSqlOptions options, ILoggerFactory? loggerFactory, AuditPostgreSqlMetrics metrics, TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1, nameof(options));
        _schema = schema;
        _maxBatchSize = options.MaxBatchSize;
        _readBatchSize = options.ReadBatchSize;
        _metrics = metrics;
        _logger = loggerFactory?.CreateLogger<PostgreSqlAuditLog>() ?? (ILogger)NullLogger.Instance;
        _chain = new AuditChain(schema.Schema);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Appends an event to the chain; completes with its sequence number once its batch has committed.</summary>
    /// <param name="auditEvent">The event; it is serialized before this method returns, so the caller may reuse its documents.</param>
    /// <param name="cancellationToken">Stops waiting; the event may still be written.</param>
    /// <returns>The event's sequence number in the chain (the existing one if the event id was already logged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="auditEvent"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The event lacks an author, collection or document id.</exception>
    /// <exception cref="NpgsqlException">The database could not be reached or refused the batch.</exception>
    /// <exception cref="ObjectDisposedException">The log is disposed.</exception>
    public async ValueTask<long> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        AuditEventJson.Validate(auditEvent, nameof(auditEvent));
        var payload = AuditEventJson.SerializeToRented(auditEvent, out var length);
        var pending = new PendingRecord(auditEvent.EventId, payload, length);
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.ReturnPayload();
            throw new ObjectDisposedException(nameof(PostgreSqlAuditLog));
        }

        return await pending.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        await AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<bool> ContainsAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"SELECT EXISTS (SELECT 1 FROM {_schema.Schema}.audit_log WHERE event_id = @id)");
        command.Parameters.AddWithValue("id", eventId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Counts the records in the log.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The number of records.</returns>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"SELECT count(*) FROM {_schema.Schema}.audit_log");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Streams the whole table in sequence order and checks every record exactly as the file log's verification does:
    /// well-formed, hash matches content, sequence one more than the last, previous-hash link equal to the last hash.</summary>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>Valid, or the first broken record: its sequence (<see cref="AuditLogVerification.Sequence"/>), its row number in
    /// sequence order (<see cref="AuditLogVerification.LineNumber"/>) and why.</returns>
    public Task<AuditLogVerification> VerifyAsync(CancellationToken cancellationToken = default) => VerifyCoreAsync(null, cancellationToken);

    /// <summary>Verifies the chain as <see cref="VerifyAsync(CancellationToken)"/> does, and that it extends a signed checkpoint: the
    /// checkpoint's signature is valid, the table still holds at least the checkpoint's records (no truncation), and the record at
    /// the checkpoint's sequence has the checkpoint's hash (no re-chaining) — the same rules as <see cref="AuditLogFile"/>.</summary>
    /// <param name="checkpoint">A checkpoint kept where the database's writers could not rewrite it.</param>
    /// <param name="signer">Holds the checkpoint keys (a public ECDSA key suffices).</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>Valid, or why not: <see cref="AuditLogFailure.CheckpointSignatureInvalid"/>, <see cref="AuditLogFailure.Truncated"/>,
    /// <see cref="AuditLogFailure.CheckpointMismatch"/>, or a broken record.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="checkpoint"/> or <paramref name="signer"/> is <see langword="null"/>.</exception>
    public Task<AuditLogVerification> VerifyAgainstCheckpointAsync(AuditCheckpoint checkpoint, AuditCheckpointSigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(signer);
        if (!signer.Verify(checkpoint))
        {
            return Task.FromResult(new AuditLogVerification(AuditLogFailure.CheckpointSignatureInvalid, 0, AuditRecordHasher.ToHex(AuditRecordHasher.GenesisHash), null, null,
                $"the checkpoint (key '{checkpoint.KeyId}') is not validly signed by a known checkpoint key"));
        }

        return VerifyCoreAsync(checkpoint, cancellationToken);
    }

    /// <summary>Signs a checkpoint of the committed chain now (its record count and head hash) and hands it to <paramref name="sinks"/>.</summary>
    /// <remarks>Keep checkpoints where the database's writers cannot rewrite them (another system, a transparency log); a later
    /// <see cref="VerifyAgainstCheckpointAsync"/> then catches a table cut short or re-chained.</remarks>
    /// <param name="signer">Holds the active checkpoint key.</param>
    /// <param name="origin">Names the log in the checkpoint (for example the database and schema).</param>
    /// <param name="sinks">Where to store the checkpoint; optional.</param>
    /// <param name="cancellationToken">Cancels the read and the sinks.</param>
    /// <returns>The signed checkpoint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="origin"/> is null or empty.</exception>
    public async Task<AuditCheckpoint> WriteCheckpointAsync(
        AuditCheckpointSigner signer,
        string origin,
        IEnumerable<IAuditCheckpointSink>? sinks = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentException.ThrowIfNullOrEmpty(origin);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);

        // Sequences are assigned and committed under the chain lock, so the highest committed one always ends a gapless prefix.
        long sequence;
        byte[] head;
        await using (var connection = await _schema.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var command = new NpgsqlCommand(_chain.HeadSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            (sequence, head) = await AuditChain.ReadHeadAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        var checkpoint = signer.Sign(origin, sequence, AuditRecordHasher.ToHex(head), _timeProvider.GetUtcNow());
        foreach (var sink in sinks ?? [])
        {
            await sink.WriteAsync(checkpoint, cancellationToken).ConfigureAwait(false);
        }

        return checkpoint;
    }

    private async Task<AuditLogVerification> VerifyCoreAsync(AuditCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        using var activity = AuditPostgreSqlMetrics.ActivitySource.StartActivity(Telemetry.AuditPostgreSqlTelemetry.VerifySpan);
        var verifier = new AuditChainVerifier();
        if (checkpoint is { Sequence: 0 } && !string.Equals(checkpoint.HeadHash, AuditRecordHasher.ToHex(AuditRecordHasher.GenesisHash), StringComparison.Ordinal))
        {
            return Broken(verifier, AuditLogFailure.CheckpointMismatch, 0, "the checkpoint of an empty log names a head hash other than zeros");
        }

        await using var connection = await _schema.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // Keyset pages keep memory flat on any table size and never hold one statement open for the whole scan.
        long row = 0;
        long after = 0;
        while (true)
        {
            await using var command = new NpgsqlCommand($"SELECT seq, record FROM {_schema.Schema}.audit_log WHERE seq > @after ORDER BY seq LIMIT @limit", connection);
            command.Parameters.AddWithValue("after", after);
            command.Parameters.AddWithValue("limit", _readBatchSize);
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
            var read = 0;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                read++;
                row++;
                var seq = reader.GetInt64(0);
                var record = await reader.GetFieldValueAsync<byte[]>(1, cancellationToken).ConfigureAwait(false);
                after = seq;
                if (seq != verifier.NextSequence)
                {
                    return Broken(verifier, AuditLogFailure.SequenceMismatch, row, $"expected sequence {verifier.NextSequence}, found row {seq}: a record is missing or was inserted out of order");
                }

                var failure = verifier.Check(record, out _, out var message);
                if (failure != AuditLogFailure.None)
                {
                    return Broken(verifier, failure, row, message!);
                }

                if (checkpoint is not null && verifier.Count == checkpoint.Sequence
                    && !string.Equals(AuditRecordHasher.ToHex(verifier.LastHash), checkpoint.HeadHash, StringComparison.Ordinal))
                {
                    return Broken(verifier, AuditLogFailure.CheckpointMismatch, row,
                        $"record {checkpoint.Sequence} does not have the hash the signed checkpoint names: the log was rewritten from this record or earlier");
                }
            }

            if (read < _readBatchSize)
            {
                break;
            }
        }

        if (checkpoint is not null && verifier.Count < checkpoint.Sequence)
        {
            return Broken(verifier, AuditLogFailure.Truncated, verifier.Count + 1,
                $"the log holds {verifier.Count} records but a signed checkpoint says it held {checkpoint.Sequence}: records were cut from the end");
        }

        activity?.SetTag("cosmos.audit.records", verifier.Count);
        return verifier.Valid();
    }

    /// <summary>Stops accepting appends, lets the queued ones commit, then stops the writer.</summary>
    /// <returns>A task that completes when the writer has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _metrics.Dispose();
    }

    internal static SchemaGate CreateGate(NpgsqlDataSource dataSource, AuditPostgreSqlOptions options, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new SchemaGate(dataSource, options.Schema, options.ApplySchemaOnStart, loggerFactory?.CreateLogger<SchemaGate>());
    }

    private AuditLogVerification Broken(AuditChainVerifier verifier, AuditLogFailure failure, long row, string message)
    {
        var result = verifier.Broken(failure, row, message);
        AuditPostgreSqlLog.AuditChainBroken(_logger, result.Sequence, failure, message);
        return result;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingRecord>(_maxBatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatchSize && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                try
                {
                    await WriteBatchAsync(batch, checkKnown: false).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (ex is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "audit_log_event_id_key" })
                {
                    // An event id of this batch is already logged (a replayed dead letter, a repeated publication): the transaction
                    // rolled back as a whole, so write the batch again, this time skipping the ids the log already holds.
                    await WriteBatchAsync(batch, checkKnown: true).ConfigureAwait(false);
                }

                _metrics.AuditBatchSize.Record(batch.Count);
                _metrics.AuditBatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                foreach (var pending in batch)
                {
                    pending.TrySetResult(pending.Sequence);
                }
            }
            catch (Exception ex)
            {
                _metrics.AuditBatchFailures.Add(1);
                AuditPostgreSqlLog.AuditBatchFailed(_logger, ex, batch.Count);
                foreach (var pending in batch)
                {
                    pending.TrySetException(ex);
                }
            }
            finally
            {
                foreach (var pending in batch)
                {
                    pending.ReturnPayload();
                }

                batch.Clear();
            }
        }
    }

    // Fresh events are the rule, so the first attempt does not look the batch's ids up (that would probe the unique index twice per
    // record); the unique index refuses a repeated id, and only then is the batch written again with the lookup.
    private async Task WriteBatchAsync(List<PendingRecord> batch, bool checkKnown)
    {
        using var activity = AuditPostgreSqlMetrics.ActivitySource.StartActivity(Telemetry.AuditPostgreSqlTelemetry.AuditBatchSpan);
        activity?.SetTag("cosmos.audit.batch_size", batch.Count);
        await _schema.EnsureAsync(CancellationToken.None).ConfigureAwait(false);
        await using var connection = await _schema.DataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted).ConfigureAwait(false);

        // One round trip: take the chain lock, read the head, and (on a retry) learn which of these event ids are already logged.
        long head;
        byte[] previousHash;
        var known = new Dictionary<Guid, long>();
        await using (var prepare = new NpgsqlBatch(connection, transaction))
        {
            prepare.BatchCommands.Add(_chain.LockCommand());
            prepare.BatchCommands.Add(new NpgsqlBatchCommand(_chain.HeadSql));
            if (checkKnown)
            {
                var knownCommand = new NpgsqlBatchCommand(_chain.KnownSql);
                knownCommand.Parameters.AddWithValue("ids", batch.Select(p => p.EventId).ToArray());
                prepare.BatchCommands.Add(knownCommand);
            }

            await using var reader = await prepare.ExecuteReaderAsync().ConfigureAwait(false);
            await reader.NextResultAsync().ConfigureAwait(false);
            (head, previousHash) = await AuditChain.ReadHeadAsync(reader, CancellationToken.None).ConfigureAwait(false);
            if (checkKnown)
            {
                await reader.NextResultAsync().ConfigureAwait(false);
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    known[reader.GetGuid(0)] = reader.GetInt64(1);
                }
            }
        }

        var written = 0;
        // The block disposes the binary import before the transaction commits.
        {
            var line = new ArrayBufferWriter<byte>(4096);
            var hash = new byte[AuditRecordFormat.HashSize];
            await using var copy = await connection.BeginBinaryImportAsync(_chain.CopySql).ConfigureAwait(false);
            foreach (var pending in batch)
            {
                if (known.TryGetValue(pending.EventId, out var existing))
                {
                    // Logged before (a replayed dead letter, or the same id appended twice in this batch).
                    pending.Sequence = existing;
                    continue;
                }

                var seq = head + 1;
                var record = AuditChain.Frame(line, seq, previousHash, pending.Payload.AsSpan(0, pending.Length), hash);
                await copy.StartRowAsync().ConfigureAwait(false);
                await copy.WriteAsync(seq, NpgsqlDbType.Bigint).ConfigureAwait(false);
                await copy.WriteAsync(pending.EventId, NpgsqlDbType.Uuid).ConfigureAwait(false);
                await copy.WriteAsync(hash, NpgsqlDbType.Bytea).ConfigureAwait(false);

                // The stored record is the file log's line without its newline: exactly the bytes the verifier reads.
                await copy.WriteAsync(record, NpgsqlDbType.Bytea).ConfigureAwait(false);
                pending.Sequence = seq;
                known[pending.EventId] = seq;
                head = seq;
                (previousHash, hash) = (hash, previousHash);
                written++;
            }

            await copy.CompleteAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        _metrics.AuditRecordsAppended.Add(written);
    }

    private sealed class PendingRecord(Guid eventId, byte[] payload, int length) : TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        private byte[]? _payload = payload;

        public Guid EventId { get; } = eventId;

        public byte[] Payload => _payload ?? throw new ObjectDisposedException(nameof(PendingRecord));

        public int Length { get; } = length;

        public long Sequence { get; set; }

        public void ReturnPayload()
        {
            if (Interlocked.Exchange(ref _payload, null) is { } rented)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
