using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Cosmos.Audit.Log.Internal;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.PostgreSql.Internal;
using Cosmos.Audit.PostgreSql.Telemetry;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Cosmos.Audit.PostgreSql.Documents;

/// <summary>Documents on PostgreSQL (jsonb, with a version column for optimistic concurrency), and writes that commit the document
/// together with its audit record.</summary>
/// <remarks>
/// <para><see cref="PutAsync"/> (the <see cref="IAuditDocumentStore"/> contract) writes the document only if it is still at the expected
/// version (0: it must not exist); otherwise <see cref="AuditConcurrencyException"/>, and nothing changes.</para>
/// <para><see cref="PutWithRecordAsync"/> (the <see cref="IAuditTransactionalDocumentStore"/> contract, which <see cref="IAuditPipeline"/>
/// uses when this store is registered) and <see cref="WriteAsync"/> write the document and append the event to the audit chain in
/// one transaction: there is never a stored change without its record, nor a record of a change that rolled back. They take the
/// chain's advisory lock, so the record is ordered with every other append from every host. A later publication of the same event
/// to the <see cref="Log.PostgreSqlAuditLog"/> is a no-op (the log is idempotent on event id).</para>
/// </remarks>
public sealed class PostgreSqlAuditDocumentStore : IAuditTransactionalDocumentStore, IDisposable
{
    private readonly SchemaGate _schema;
    private readonly AuditChain _chain;
    private readonly TimeProvider _timeProvider;
    private readonly AuditPostgreSqlMetrics _metrics;
    private readonly string _s;

    /// <summary>Creates the store over <paramref name="dataSource"/>.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="options">The schema; the defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for <c>updated_at</c>; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Creates the logger; optional.</param>
    /// <param name="meterFactory">Creates the <c>Cosmos.Audit.PostgreSql</c> meter; a private meter when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public PostgreSqlAuditDocumentStore(
        NpgsqlDataSource dataSource,
        AuditPostgreSqlOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
        : this(Log.PostgreSqlAuditLog.CreateGate(dataSource, options ?? new AuditPostgreSqlOptions(), loggerFactory), timeProvider, new AuditPostgreSqlMetrics(meterFactory))
    {
    }

    internal PostgreSqlAuditDocumentStore(SchemaGate schema, TimeProvider? timeProvider, AuditPostgreSqlMetrics metrics)
    {
        _schema = schema;
        _chain = new AuditChain(schema.Schema);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _metrics = metrics;
        _s = schema.Schema;
    }

    /// <inheritdoc />
    public async ValueTask<AuditStoredDocument?> GetAsync(string collection, string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(documentId);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _schema.DataSource.CreateCommand($"SELECT body::text, version FROM {_s}.documents WHERE collection = @c AND document_id = @d");
        command.Parameters.AddWithValue("c", collection);
        command.Parameters.AddWithValue("d", documentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new AuditStoredDocument((JsonObject)JsonNode.Parse(reader.GetString(0))!, reader.GetInt64(1));
    }

    /// <inheritdoc />
    public async ValueTask<long> PutAsync(string collection, string documentId, JsonObject document, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(documentId);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _schema.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await PutCoreAsync(connection, null, collection, documentId, document, expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <see cref="AuditEvent.After"/> as the document <see cref="AuditEvent.DocumentId"/> of <see cref="AuditEvent.Collection"/>
    /// if it is at <paramref name="expectedVersion"/>, and appends <paramref name="auditEvent"/> to the audit chain, in one transaction.</summary>
    /// <param name="auditEvent">The audit event; its <see cref="AuditEvent.After"/> is the document to store.</param>
    /// <param name="expectedVersion">The version the document must be at (0: it must not exist yet).</param>
    /// <param name="cancellationToken">Cancels the write; if it fires after the commit was sent, the write may have happened.</param>
    /// <returns>The document's new version and the record's sequence number.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="auditEvent"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The event has no <see cref="AuditEvent.After"/> document, or lacks an author, collection or document id.</exception>
    /// <exception cref="AuditConcurrencyException">The document is not at <paramref name="expectedVersion"/>; neither the document nor the record was written.</exception>
    public Task<AuditedDocumentWrite> WriteAsync(AuditEvent auditEvent, long expectedVersion, CancellationToken cancellationToken = default)
    {
        AuditEventJson.Validate(auditEvent, nameof(auditEvent));
        if (auditEvent.After is null)
        {
            throw new ArgumentException("The audit event carries no 'After' document to store.", nameof(auditEvent));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        return WriteCoreAsync(auditEvent.Collection, auditEvent.DocumentId, auditEvent.After, expectedVersion, auditEvent, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<long> PutWithRecordAsync(
        string collection,
        string documentId,
        JsonObject document,
        long expectedVersion,
        AuditEvent auditEvent,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(documentId);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        AuditEventJson.Validate(auditEvent, nameof(auditEvent));
        if (!string.Equals(auditEvent.Collection, collection, StringComparison.Ordinal) || !string.Equals(auditEvent.DocumentId, documentId, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The audit event records '{auditEvent.Collection}/{auditEvent.DocumentId}', not the document being written ('{collection}/{documentId}').",
                nameof(auditEvent));
        }

        var write = await WriteCoreAsync(collection, documentId, document, expectedVersion, auditEvent, cancellationToken).ConfigureAwait(false);
        return write.Version;
    }

    /// <summary>Releases the private meter, if one was created.</summary>
    public void Dispose() => _metrics.Dispose();

    private async Task<AuditedDocumentWrite> WriteCoreAsync(
        string collection,
        string documentId,
        JsonObject document,
        long expectedVersion,
        AuditEvent auditEvent,
        CancellationToken cancellationToken)
    {
        var eventJson = AuditRecordHasher.SerializeEvent(auditEvent);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        using var activity = AuditPostgreSqlMetrics.ActivitySource.StartActivity(AuditPostgreSqlTelemetry.DocumentWriteSpan);
        await using var connection = await _schema.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

        // The document first: a stale write fails before the chain lock is taken, so conflicts never hold up other appenders.
        var version = await PutCoreAsync(connection, transaction, collection, documentId, document, expectedVersion, cancellationToken)
            .ConfigureAwait(false);

        long head;
        byte[] previousHash;
        await using (var prepare = new NpgsqlBatch(connection, transaction))
        {
            prepare.BatchCommands.Add(_chain.LockCommand());
            prepare.BatchCommands.Add(new NpgsqlBatchCommand(_chain.HeadSql));
            await using var reader = await prepare.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            (head, previousHash) = await AuditChain.ReadHeadAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        var sequence = head + 1;
        var hash = new byte[AuditRecordHasher.HashSize];
        var record = AuditChain.Frame(new ArrayBufferWriter<byte>(eventJson.Length + 256), sequence, previousHash, eventJson, hash);

        await using (var insert = new NpgsqlCommand(_chain.InsertSql, connection, transaction))
        {
            insert.Parameters.AddWithValue("seq", sequence);
            insert.Parameters.AddWithValue("id", auditEvent.EventId);
            insert.Parameters.AddWithValue("hash", hash);
            insert.Parameters.AddWithValue("record", record);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _metrics.AuditRecordsAppended.Add(1);
        return new AuditedDocumentWrite(version, sequence);
    }

    private async Task<long> PutCoreAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string collection,
        string documentId,
        JsonObject document,
        long expectedVersion,
        CancellationToken cancellationToken)
    {
        var sql = expectedVersion == AuditStoredDocument.NoVersion
            ? $"""
              INSERT INTO {_s}.documents (collection, document_id, version, body, updated_at) VALUES (@c, @d, 1, @body, @now)
              ON CONFLICT (collection, document_id) DO NOTHING RETURNING version
              """
            : $"""
              UPDATE {_s}.documents SET body = @body, version = version + 1, updated_at = @now
              WHERE collection = @c AND document_id = @d AND version = @expected RETURNING version
              """;
        await using (var write = new NpgsqlCommand(sql, connection, transaction))
        {
            write.Parameters.AddWithValue("c", collection);
            write.Parameters.AddWithValue("d", documentId);
            write.Parameters.AddWithValue("body", NpgsqlDbType.Jsonb, document.ToJsonString());
            write.Parameters.AddWithValue("now", _timeProvider.GetUtcNow());
            write.Parameters.AddWithValue("expected", expectedVersion);
            if (await write.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version)
            {
                return version;
            }
        }

        await using var read = new NpgsqlCommand($"SELECT version FROM {_s}.documents WHERE collection = @c AND document_id = @d", connection, transaction);
        read.Parameters.AddWithValue("c", collection);
        read.Parameters.AddWithValue("d", documentId);
        var actual = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
        _metrics.ConcurrencyConflicts.Add(1, new KeyValuePair<string, object?>("store", "documents"));
        throw new AuditConcurrencyException(collection, documentId, expectedVersion, actual ?? AuditStoredDocument.NoVersion);
    }
}
