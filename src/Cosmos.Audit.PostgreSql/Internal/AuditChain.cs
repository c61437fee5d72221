using System.Buffers;
using Cosmos.Audit.Log;
using Cosmos.Audit.Log.Internal;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Internal;

/// <summary>The one place that knows how a transaction joins the audit chain: take the chain lock, read the head, frame a record.
/// Used by the group-commit log and by document writes that commit their record in the same transaction.</summary>
/// <remarks>Transactions that join the chain are begun explicitly at READ COMMITTED, whatever the database's default: each statement
/// then takes a fresh snapshot, so the head read after the lock is granted sees the previous holder's commit. Under REPEATABLE READ
/// the snapshot would date from before the lock wait and two batches would claim the same sequence (a test pins this down).</remarks>
internal sealed class AuditChain(string schema)
{
    public long LockKey { get; } = AdvisoryLockKey.For(schema, "audit_log");

    public const string LockSql = "SELECT pg_advisory_xact_lock(@key)";

    public string HeadSql { get; } = $"SELECT seq, hash FROM {schema}.audit_log ORDER BY seq DESC LIMIT 1";

    public string KnownSql { get; } = $"SELECT event_id, seq FROM {schema}.audit_log WHERE event_id = ANY(@ids)";

    public string CopySql { get; } = $"COPY {schema}.audit_log (seq, event_id, hash, record) FROM STDIN (FORMAT BINARY)";

    public string InsertSql { get; } = $"INSERT INTO {schema}.audit_log (seq, event_id, hash, record) VALUES (@seq, @id, @hash, @record)";

    public NpgsqlBatchCommand LockCommand()
    {
        var command = new NpgsqlBatchCommand(LockSql);
        command.Parameters.AddWithValue("key", LockKey);
        return command;
    }

    /// <summary>Reads the head from the current result of <paramref name="reader"/>: (0, zeros) for an empty chain.</summary>
    public static async Task<(long Sequence, byte[] Hash)> ReadHeadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return (reader.GetInt64(0), await reader.GetFieldValueAsync<byte[]>(1, cancellationToken).ConfigureAwait(false));
        }

        return (0, new byte[AuditRecordFormat.HashSize]);
    }

    /// <summary>Frames one record exactly as the file log writes its line, minus the newline; writes its hash into <paramref name="hash"/>.</summary>
    public static byte[] Frame(ArrayBufferWriter<byte> line, long sequence, ReadOnlySpan<byte> previousHash, ReadOnlySpan<byte> eventJson, Span<byte> hash)
    {
        line.ResetWrittenCount();
        AuditRecordFormat.Write(line, sequence, previousHash, eventJson, hash);
        return line.WrittenSpan[..^1].ToArray();
    }
}
