using Cosmos.Audit.Log;
using Cosmos.Audit.PostgreSql.Log;
using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Tests.Log;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlAuditCheckpointTests(PostgreSqlFixture fixture) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly AuditCheckpointSigner _signer = new(new AuditCheckpointOptions
    {
        Keys = [AuditCheckpointKey.Hmac("cp1", Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray())],
    });

    private NpgsqlDataSource? _dataSource;
    private PostgreSqlAuditLog? _log;

    private PostgreSqlAuditLog AuditLog => _log!;

    public async Task InitializeAsync()
    {
        _dataSource = await fixture.CreateDatabaseAsync();
        _log = new PostgreSqlAuditLog(_dataSource, timeProvider: _time);
        for (var i = 1; i <= 10; i++)
        {
            await _log.AppendAsync(PostgreSqlAuditLogTests.NewEvent(i));
        }
    }

    public async Task DisposeAsync()
    {
        _signer.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    private async Task ExecuteBehindTheTriggerAsync(string sql)
    {
        await using var command = _dataSource!.CreateCommand($"""
            ALTER TABLE cosmos_audit.audit_log DISABLE TRIGGER USER;
            {sql};
            ALTER TABLE cosmos_audit.audit_log ENABLE TRIGGER USER;
            """);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task WriteCheckpointAsync_SignsTheCommittedHeadAndHandsItToTheSinks()
    {
        var sink = new ListSink();

        var checkpoint = await AuditLog.WriteCheckpointAsync(_signer, "db/cosmos_audit", [sink]);

        Assert.Equal(10, checkpoint.Sequence);
        Assert.Equal((await AuditLog.VerifyAsync()).LastHash, checkpoint.HeadHash);
        Assert.Equal(_time.GetUtcNow(), checkpoint.Timestamp);
        Assert.Same(checkpoint, Assert.Single(sink.Written));
        Assert.True((await AuditLog.VerifyAgainstCheckpointAsync(checkpoint, _signer)).IsValid);
    }

    [Fact]
    public async Task VerifyAgainstCheckpointAsync_LogExtendedAfterTheCheckpoint_IsValid()
    {
        var checkpoint = await AuditLog.WriteCheckpointAsync(_signer, "db");
        await AuditLog.AppendAsync(PostgreSqlAuditLogTests.NewEvent(11));

        Assert.True((await AuditLog.VerifyAgainstCheckpointAsync(checkpoint, _signer)).IsValid);
    }

    [Fact]
    public async Task VerifyAgainstCheckpointAsync_TailCutBehindTheTrigger_IsTruncated()
    {
        var checkpoint = await AuditLog.WriteCheckpointAsync(_signer, "db");
        await ExecuteBehindTheTriggerAsync("DELETE FROM cosmos_audit.audit_log WHERE seq > 7");

        var verification = await AuditLog.VerifyAgainstCheckpointAsync(checkpoint, _signer);

        Assert.True((await AuditLog.VerifyAsync()).IsValid, "without the checkpoint a cut tail is invisible");
        Assert.Equal(AuditLogFailure.Truncated, verification.Failure);
    }

    [Fact]
    public async Task VerifyAgainstCheckpointAsync_ChainRewritten_IsCheckpointMismatch()
    {
        var checkpoint = await AuditLog.WriteCheckpointAsync(_signer, "db");

        // Re-chain from scratch: a complete, internally valid log with different content, written by someone with full rights.
        await ExecuteBehindTheTriggerAsync("TRUNCATE cosmos_audit.audit_log");
        for (var i = 1; i <= 10; i++)
        {
            await AuditLog.AppendAsync(PostgreSqlAuditLogTests.NewEvent(100 + i));
        }

        var verification = await AuditLog.VerifyAgainstCheckpointAsync(checkpoint, _signer);

        Assert.True((await AuditLog.VerifyAsync()).IsValid);
        Assert.Equal(AuditLogFailure.CheckpointMismatch, verification.Failure);
        Assert.Equal(10, verification.LineNumber);
    }

    [Fact]
    public async Task VerifyAgainstCheckpointAsync_ForgedCheckpoint_IsSignatureInvalid()
    {
        var checkpoint = await AuditLog.WriteCheckpointAsync(_signer, "db");

        var forged = checkpoint with { Sequence = 3 };

        Assert.Equal(AuditLogFailure.CheckpointSignatureInvalid, (await AuditLog.VerifyAgainstCheckpointAsync(forged, _signer)).Failure);
    }

    private sealed class ListSink : IAuditCheckpointSink
    {
        public List<AuditCheckpoint> Written { get; } = [];

        public ValueTask WriteAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default)
        {
            Written.Add(checkpoint);
            return ValueTask.CompletedTask;
        }
    }
}
