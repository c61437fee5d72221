using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Cosmos.Audit.EventStore;
using Cosmos.Audit.PostgreSql.Internal;
using Cosmos.Audit.PostgreSql.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Cosmos.Audit.PostgreSql.EventStore;

/// <summary>The event store on PostgreSQL: streams with per-stream versions, one global order, and catch-up subscriptions woken by
/// <c>LISTEN</c>/<c>NOTIFY</c> instead of polling.</summary>
/// <remarks>
/// <para>Each append is one transaction that takes a transaction-scoped advisory lock (one key per schema), checks the stream's version,
/// assigns the next global positions and inserts the events. Appends therefore commit in position order, which is what makes a
/// subscription safe: a reader that has seen position <c>p</c> can never later find a smaller position committed (sequences would
/// leave such holes). The cost is that appends, from all hosts, commit one at a time; put several events in one append to go faster.</para>
/// <para>The append sends <c>NOTIFY &lt;schema&gt;_events</c> inside its transaction, so subscribers are woken at commit, never before.</para>
/// </remarks>
public sealed class PostgreSqlEventStore : IEventStore, IDisposable
{
    private readonly SchemaGate _schema;
    private readonly TimeProvider _timeProvider;
    private readonly AuditPostgreSqlMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _pageSize;
    private readonly long _lockKey;
    private readonly string _channel;
    private readonly string _columns;
    private readonly string _s;

    /// <summary>Creates the store over <paramref name="dataSource"/>.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="options">Schema and read page size; the defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for <see cref="RecordedEvent.RecordedAt"/>; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Creates the logger; optional.</param>
    /// <param name="meterFactory">Creates the <c>Cosmos.Audit.PostgreSql</c> meter; a private meter when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public PostgreSqlEventStore(
        NpgsqlDataSource dataSource,
        AuditPostgreSqlOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
        : this(Log.PostgreSqlAuditLog.CreateGate(dataSource, options ??= new AuditPostgreSqlOptions(), loggerFactory), options, timeProvider, loggerFactory, new AuditPostgreSqlMetrics(meterFactory))
    {
    }

    internal PostgreSqlEventStore(SchemaGate schema, AuditPostgreSqlOptions options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, AuditPostgreSqlMetrics metrics)
    {
        _schema = schema;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _metrics = metrics;
        _logger = loggerFactory?.CreateLogger<PostgreSqlEventStore>() ?? (ILogger)NullLogger.Instance;
        _pageSize = options.ReadBatchSize;
        _s = schema.Schema;
        _lockKey = AdvisoryLockKey.For(_s, "events");
        _channel = _s + "_events";
        _columns = "stream_id, version, position, event_id, event_type, data, metadata, recorded_at";
    }

    /// <inheritdoc />
    public async Task<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        EventStoreLimits.ValidateAppend(streamId, expectedVersion, events);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        using var activity = AuditPostgreSqlMetrics.ActivitySource.StartActivity(AuditPostgreSqlTelemetry.EventAppendSpan);
        await using var connection = await _schema.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

        long version;
        long position;
        await using (var prepare = new NpgsqlBatch(connection, transaction))
        {
            var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(@key)");
            lockCommand.Parameters.AddWithValue("key", _lockKey);
            var versionCommand = new NpgsqlBatchCommand($"SELECT coalesce(max(version), 0) FROM {_s}.events WHERE stream_id = @stream");
            versionCommand.Parameters.AddWithValue("stream", streamId);
            prepare.BatchCommands.Add(lockCommand);
            prepare.BatchCommands.Add(versionCommand);
            prepare.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT coalesce(max(position), 0) FROM {_s}.events"));
            await using var reader = await prepare.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            version = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            position = reader.GetInt64(0);
        }

        if (expectedVersion != ExpectedVersion.Any && expectedVersion != version)
        {
            _metrics.ConcurrencyConflicts.Add(1, new KeyValuePair<string, object?>("store", "events"));
            throw new WrongExpectedVersionException(streamId, expectedVersion, version);
        }

        var count = events.Count;
        var versions = new long[count];
        var positions = new long[count];
        var ids = new Guid[count];
        var types = new string[count];
        var data = new byte[count][];
        var metadata = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            versions[i] = version + i + 1;
            positions[i] = position + i + 1;
            ids[i] = events[i].EventId;
            types[i] = events[i].EventType;
            data[i] = events[i].Data.ToArray();
            metadata[i] = events[i].Metadata.ToArray();
        }

        await using (var insert = new NpgsqlBatch(connection, transaction))
        {
            var rows = new NpgsqlBatchCommand(
                $"INSERT INTO {_s}.events (stream_id, version, position, event_id, event_type, data, metadata, recorded_at) "
                + "SELECT @stream, v, p, i, t, d, m, @at FROM unnest(@versions, @positions, @ids, @types, @data, @metadata) AS x(v, p, i, t, d, m)");
            rows.Parameters.AddWithValue("stream", streamId);
            rows.Parameters.AddWithValue("at", _timeProvider.GetUtcNow());
            rows.Parameters.AddWithValue("versions", versions);
            rows.Parameters.AddWithValue("positions", positions);
            rows.Parameters.AddWithValue("ids", ids);
            rows.Parameters.AddWithValue("types", types);
            rows.Parameters.AddWithValue("data", NpgsqlDbType.Array | NpgsqlDbType.Bytea, data);
            rows.Parameters.AddWithValue("metadata", NpgsqlDbType.Array | NpgsqlDbType.Bytea, metadata);
            var notify = new NpgsqlBatchCommand("SELECT pg_notify(@channel, @position)");
            notify.Parameters.AddWithValue("channel", _channel);
            notify.Parameters.AddWithValue("position", positions[^1].ToString(CultureInfo.InvariantCulture));
            insert.BatchCommands.Add(rows);
            insert.BatchCommands.Add(notify);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _metrics.EventsAppended.Add(count);
        return new AppendResult(versions[^1], positions[^1]);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, long fromVersion = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EventStoreLimits.ValidateStreamId(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 1);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var next = fromVersion;
        while (true)
        {
            await using var command = _schema.DataSource.CreateCommand(
                $"SELECT {_columns} FROM {_s}.events WHERE stream_id = @stream AND version >= @from ORDER BY version LIMIT @limit");
            command.Parameters.AddWithValue("stream", streamId);
            command.Parameters.AddWithValue("from", next);
            command.Parameters.AddWithValue("limit", _pageSize);
            var page = await ReadPageAsync(command, cancellationToken).ConfigureAwait(false);
            foreach (var e in page)
            {
                yield return e;
            }

            if (page.Count < _pageSize)
            {
                yield break;
            }

            next = page[^1].Version + 1;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedEvent> ReadAllAsync(long afterPosition = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var after = afterPosition;
        while (true)
        {
            await using var connection = await _schema.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var page = await ReadAfterAsync(connection, after, cancellationToken).ConfigureAwait(false);
            foreach (var e in page)
            {
                yield return e;
            }

            if (page.Count < _pageSize)
            {
                yield break;
            }

            after = page[^1].Position;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RecordedEvent> SubscribeToAllAsync(long afterPosition = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var after = afterPosition;
        var signals = new StrongBox<long>();
        NpgsqlConnection? connection = null;
        try
        {
            while (true)
            {
                List<RecordedEvent>? page = null;
                var seen = Interlocked.Read(ref signals.Value);
                try
                {
                    // LISTEN before reading: a commit after the read then always leaves a notification to wake the wait.
                    connection ??= await ListenAsync(signals, cancellationToken).ConfigureAwait(false);
                    page = await ReadAfterAsync(connection, after, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
                {
                    connection = await DropAsync(connection, ex, after, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                foreach (var e in page)
                {
                    yield return e;
                    after = e.Position;
                }

                if (page.Count == _pageSize || Interlocked.Read(ref signals.Value) != seen)
                {
                    continue;
                }

                try
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
                {
                    connection = await DropAsync(connection, ex, after, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Releases the private meter, if one was created.</summary>
    public void Dispose() => _metrics.Dispose();

    private async Task<NpgsqlConnection> ListenAsync(StrongBox<long> signals, CancellationToken cancellationToken)
    {
        // Npgsql resets a pooled connection (DISCARD ALL, which includes UNLISTEN *) when it returns to the pool, so LISTEN cannot leak.
        var connection = _schema.DataSource.CreateConnection();
        try
        {
            connection.Notification += (_, _) => Interlocked.Increment(ref signals.Value);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var listen = new NpgsqlCommand($"LISTEN {_channel}", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<NpgsqlConnection?> DropAsync(NpgsqlConnection? connection, Exception error, long position, CancellationToken cancellationToken)
    {
        AuditPostgreSqlLog.SubscriptionReconnecting(_logger, error, position);
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        // A restarting server refuses connections for a moment; retry once a second rather than spinning.
        await Task.Delay(TimeSpan.FromSeconds(1), _timeProvider, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task<List<RecordedEvent>> ReadAfterAsync(NpgsqlConnection connection, long after, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {_columns} FROM {_s}.events WHERE position > @after ORDER BY position LIMIT @limit", connection);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("limit", _pageSize);
        return await ReadPageAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<RecordedEvent>> ReadPageAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var page = new List<RecordedEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(new RecordedEvent(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetGuid(3),
                reader.GetString(4),
                reader.GetFieldValue<byte[]>(5),
                reader.GetFieldValue<byte[]>(6),
                new DateTimeOffset(reader.GetDateTime(7), TimeSpan.Zero)));
        }

        return page;
    }
}
