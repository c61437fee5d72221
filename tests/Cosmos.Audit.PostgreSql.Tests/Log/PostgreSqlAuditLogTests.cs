using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Cosmos.Audit.PostgreSql.Log;
using Cosmos.Audit.PostgreSql.Schema;
using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Tests.Log;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlAuditLogTests(PostgreSqlFixture fixture) : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;
    private PostgreSqlAuditLog? _log;

    private NpgsqlDataSource DataSource => _dataSource!;

    private PostgreSqlAuditLog AuditLog => _log!;

    public async Task InitializeAsync()
    {
        _dataSource = await fixture.CreateDatabaseAsync();
        _log = new PostgreSqlAuditLog(_dataSource, new AuditPostgreSqlOptions { ReadBatchSize = 16 });
    }

    public async Task DisposeAsync()
    {
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    internal static AuditEvent NewEvent(int n) => AuditEvent.Create(
        AuditAction.Update, "orders", "order-" + n, "alice (alice123)|verified|ts:x|sig:y", new JsonObject { ["n"] = n - 1 }, new JsonObject { ["n"] = n });

    private async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task AppendAsync_ConcurrentAppends_FormOneVerifiedChainWithoutGaps()
    {
        var events = Enumerable.Range(1, 500).Select(NewEvent).ToList();

        var sequences = await Task.WhenAll(events.Select(e => AuditLog.AppendAsync(e).AsTask()));

        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), sequences.Order());
        var verification = await AuditLog.VerifyAsync();
        Assert.True(verification.IsValid, verification.ToString());
        Assert.Equal(500, verification.RecordCount);
        Assert.Equal(500, await AuditLog.CountAsync());
    }

    [Fact]
    public async Task AppendAsync_SameEventIdTwice_IsStoredOnceWithOneSequence()
    {
        var e = NewEvent(1);

        var first = await AuditLog.AppendAsync(e);
        var again = await Task.WhenAll(AuditLog.AppendAsync(e).AsTask(), AuditLog.AppendAsync(e).AsTask());

        Assert.All(again, s => Assert.Equal(first, s));
        Assert.Equal(1, await AuditLog.CountAsync());
        Assert.True(await AuditLog.ContainsAsync(e.EventId));
        Assert.False(await AuditLog.ContainsAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task AppendAsync_StoredRecord_IsTheFileLogLineByteForByte()
    {
        var e = NewEvent(7);
        var directory = Directory.CreateTempSubdirectory("cosmos-audit-file-").FullName;
        try
        {
            var path = Path.Combine(directory, "audit.jsonl");
            await using (var file = await AuditLogFile.OpenAsync(path))
            {
                await file.AppendAsync(e);
            }

            await AuditLog.AppendAsync(e);

            await using var command = DataSource.CreateCommand("SELECT record FROM cosmos_audit.audit_log WHERE seq = 1");
            var record = (byte[])(await command.ExecuteScalarAsync())!;
            Assert.Equal((await File.ReadAllBytesAsync(path))[..^1], record);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("UPDATE cosmos_audit.audit_log SET record = record WHERE seq = 1")]
    [InlineData("DELETE FROM cosmos_audit.audit_log WHERE seq = 1")]
    [InlineData("TRUNCATE cosmos_audit.audit_log")]
    public async Task Table_UpdateDeleteOrTruncateEvenAsOwner_IsRefused(string sql)
    {
        await AuditLog.AppendAsync(NewEvent(1));

        var ex = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(sql));

        Assert.Contains("append-only", ex.MessageText, StringComparison.Ordinal);
        Assert.Equal(1, await AuditLog.CountAsync());
    }

    [Fact]
    public async Task WriterRole_CanAppendAndVerifyButHasNoUpdateRight()
    {
        await AuditLog.AppendAsync(NewEvent(1));
        await ExecuteAsync(AuditPostgreSqlSchema.GetWriterRoleScript());
        var writerConnection = new NpgsqlConnectionStringBuilder(DataSource.ConnectionString) { Username = AuditPostgreSqlSchema.DefaultWriterRole }.ConnectionString;
        await using var writerSource = NpgsqlDataSource.Create(writerConnection);
        await using var writerLog = new PostgreSqlAuditLog(writerSource, new AuditPostgreSqlOptions { ApplySchemaOnStart = false });

        await writerLog.AppendAsync(NewEvent(2));
        await using var update = writerSource.CreateCommand("UPDATE cosmos_audit.audit_log SET record = record");
        var ex = await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
        Assert.True((await writerLog.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task VerifyAsync_RecordAlteredBehindTheTrigger_NamesTheFirstBrokenRecord()
    {
        for (var i = 1; i <= 40; i++)
        {
            await AuditLog.AppendAsync(NewEvent(i));
        }

        // A superuser can switch the trigger off; the chain still exposes the change.
        await ExecuteAsync("""
            ALTER TABLE cosmos_audit.audit_log DISABLE TRIGGER audit_log_append_only;
            UPDATE cosmos_audit.audit_log SET record = convert_to(replace(convert_from(record, 'UTF8'), '"n":22', '"n":99'), 'UTF8') WHERE seq = 23;
            ALTER TABLE cosmos_audit.audit_log ENABLE TRIGGER audit_log_append_only;
            """);

        var verification = await AuditLog.VerifyAsync();

        Assert.False(verification.IsValid);
        Assert.Equal(AuditLogFailure.HashMismatch, verification.Failure);
        Assert.Equal(23, verification.Sequence);
        Assert.Equal(22, verification.RecordCount);
    }

    [Fact]
    public async Task VerifyAsync_RecordDeletedBehindTheTrigger_ReportsTheGap()
    {
        for (var i = 1; i <= 20; i++)
        {
            await AuditLog.AppendAsync(NewEvent(i));
        }

        await ExecuteAsync("""
            ALTER TABLE cosmos_audit.audit_log DISABLE TRIGGER audit_log_append_only;
            DELETE FROM cosmos_audit.audit_log WHERE seq = 17;
            ALTER TABLE cosmos_audit.audit_log ENABLE TRIGGER audit_log_append_only;
            """);

        var verification = await AuditLog.VerifyAsync();

        Assert.Equal(AuditLogFailure.SequenceMismatch, verification.Failure);
        Assert.Equal(17, verification.Sequence);
    }

    [Fact]
    public async Task AppendAsync_AfterRestartOfTheLogObject_ContinuesTheChain()
    {
        await AuditLog.AppendAsync(NewEvent(1));
        await using (var second = new PostgreSqlAuditLog(DataSource))
        {
            Assert.Equal(2, await second.AppendAsync(NewEvent(2)));
        }

        Assert.Equal(3, await AuditLog.AppendAsync(NewEvent(3)));
        Assert.True((await AuditLog.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task AppendAsync_TwoHostsOnARepeatableReadDatabase_StillFormOneChain()
    {
        await ExecuteAsync("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_isolation = ''repeatable read''', current_database()); END $$");
        await using var hostASource = NpgsqlDataSource.Create(DataSource.ConnectionString + ";Pooling=false");
        await using var hostBSource = NpgsqlDataSource.Create(DataSource.ConnectionString + ";Pooling=false");
        await using var hostA = new PostgreSqlAuditLog(hostASource, new AuditPostgreSqlOptions { MaxBatchSize = 20 });
        await using var hostB = new PostgreSqlAuditLog(hostBSource, new AuditPostgreSqlOptions { MaxBatchSize = 20 });

        await Task.WhenAll(Enumerable.Range(1, 600).Select(i => (i % 2 == 0 ? hostA : hostB).AppendAsync(NewEvent(i)).AsTask()));

        var verification = await hostA.VerifyAsync();
        Assert.True(verification.IsValid, verification.ToString());
        Assert.Equal(600, verification.RecordCount);
    }
}
