using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.PostgreSql.Documents;
using Cosmos.Audit.PostgreSql.Log;
using Cosmos.Audit.PostgreSql.Schema;
using Cosmos.Audit.PostgreSql.Telemetry;
using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Cosmos.Audit.Telemetry;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Cosmos.TestUtils;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Tests.Documents;

/// <summary>The request pipeline on PostgreSQL: each change and its record commit in one transaction.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlAuditPipelineTests(PostgreSqlFixture fixture) : IAsyncLifetime
{
    private const string Write = "documents.write";
    private const string Schema = AuditPostgreSqlSchema.DefaultSchema;

    private readonly string _directory = Directory.CreateTempSubdirectory("cosmos-pg-pipeline-").FullName;
    private NpgsqlDataSource? _dataSource;
    private ServiceProvider? _host;
    private string _token = string.Empty;

    private NpgsqlDataSource DataSource => _dataSource!;

    private IServiceProvider Host => _host!;

    private IAuditPipeline Pipeline => Host.GetRequiredService<IAuditPipeline>();

    private PostgreSqlAuditLog AuditLog => Host.GetRequiredService<PostgreSqlAuditLog>();

    public async Task InitializeAsync()
    {
        _dataSource = await fixture.CreateDatabaseAsync();
        _host = BuildHost("a");
        _token = (await Host.GetRequiredService<TokenIssuer>().IssueAsync(new UserContext("alice123", "alice") { Roles = ["editor"] })).AccessToken;
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private ServiceProvider BuildHost(string name) =>
        new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddCosmosAudit(o =>
            {
                o.SigningKeys = [AuditSigningKey.FromBytes("k1", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray())];
                o.Jwt.Issuer = "https://issuer.test";
                o.Jwt.Audience = "cosmos-tests";
                o.RolePermissions["editor"] = [Write];
                o.AuditLog.Path = Path.Combine(_directory, name, "audit.jsonl");
                o.AuditLog.DeadLetter.Directory = Path.Combine(_directory, name, "dlq");
            })
            .AddCosmosAuditPostgreSql(o => o.ConnectionString = DataSource.ConnectionString)
            .BuildServiceProvider();

    private async Task<List<string>> RecordsAsync()
    {
        await using var command = DataSource.CreateCommand($"SELECT convert_from(record, 'UTF8') FROM {Schema}.audit_log ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync();
        var records = new List<string>();
        while (await reader.ReadAsync())
        {
            records.Add(reader.GetString(0));
        }

        return records;
    }

    private async Task<List<Guid>> EventIdsAsync()
    {
        await using var command = DataSource.CreateCommand($"SELECT event_id FROM {Schema}.audit_log ORDER BY seq");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public void AddCosmosAuditPostgreSql_RegistersATransactionalDocumentStore()
    {
        Assert.IsType<PostgreSqlAuditDocumentStore>(Host.GetRequiredService<IAuditDocumentStore>());
        Assert.IsAssignableFrom<IAuditTransactionalDocumentStore>(Host.GetRequiredService<IAuditDocumentStore>());
    }

    [Fact]
    public async Task Pipeline_CreateUpdateDeleteRestore_OneChainedRecordPerChange()
    {
        var results = new[]
        {
            await Pipeline.CreateAsync(_token, "orders", "o1", new JsonObject { ["total"] = 1 }, Write),
            await Pipeline.UpdateAsync(_token, "orders", "o1", new JsonObject { ["total"] = 2 }, Write, expectedVersion: 1),
            await Pipeline.DeleteAsync(_token, "orders", "o1", Write, expectedVersion: 2),
            await Pipeline.RestoreAsync(_token, "orders", "o1", Write, expectedVersion: 3),
        };

        Assert.All(results, r => Assert.Equal(AuditedWriteStatus.Succeeded, r.Status));
        Assert.All(results, r => Assert.Equal(AuditPublishOutcome.Written, r.AuditOutcome));
        Assert.Equal([1L, 2L, 3L, 4L], results.Select(r => r.Version!.Value));
        Assert.Equal(results.Select(r => r.Event!.EventId), await EventIdsAsync());

        var verification = await AuditLog.VerifyAsync();
        Assert.True(verification.IsValid, verification.ToString());
        Assert.Equal(4, verification.RecordCount);
        var stored = (await Host.GetRequiredService<IAuditDocumentStore>().GetAsync("orders", "o1"))!;
        Assert.Equal(4, stored.Version);
        Assert.Equal(2, (int)stored.Document["total"]!);
        Assert.False((bool)stored.Document["_deleted"]!);
    }

    [Fact]
    public async Task Pipeline_StaleVersion_RefusedNothingWrittenAndSecurityEventRecorded()
    {
        await Pipeline.CreateAsync(_token, "orders", "o1", new JsonObject { ["total"] = 1 }, Write);
        await Pipeline.UpdateAsync(_token, "orders", "o1", new JsonObject { ["total"] = 2 }, Write, expectedVersion: 1);

        var stale = await Pipeline.UpdateAsync(_token, "orders", "o1", new JsonObject { ["total"] = 99 }, Write, expectedVersion: 1);

        Assert.Equal(AuditedWriteStatus.VersionMismatch, stale.Status);
        Assert.Equal(2, stale.Version);
        var stored = (await Host.GetRequiredService<IAuditDocumentStore>().GetAsync("orders", "o1"))!;
        Assert.Equal(2, stored.Version);
        Assert.Equal(2, (int)stored.Document["total"]!);
        var records = await RecordsAsync();
        Assert.Equal(3, records.Count);
        Assert.DoesNotContain(records, r => r.Contains("\"total\":99", StringComparison.Ordinal));
        Assert.Contains("stale version", records[2], StringComparison.Ordinal);
        Assert.True((await AuditLog.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Pipeline_TwoHostsRaceOneVersion_ExactlyOneChangeAndOneRecord()
    {
        await Pipeline.CreateAsync(_token, "orders", "o1", new JsonObject { ["total"] = 0 }, Write);
        await using var other = BuildHost("b");
        var otherPipeline = other.GetRequiredService<IAuditPipeline>();

        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Pipeline : otherPipeline).UpdateAsync(_token, "orders", "o1", new JsonObject { ["total"] = i }, Write, expectedVersion: 1))));

        var winner = Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(AuditedWriteStatus.VersionMismatch, r.Status));
        var records = await RecordsAsync();
        var update = Assert.Single(records, r => r.Contains("\"action\":\"Update\"", StringComparison.Ordinal));
        Assert.Equal(records.IndexOf(update), (await EventIdsAsync()).IndexOf(winner.Event!.EventId));
        Assert.Equal(7, records.Count(r => r.Contains("stale version", StringComparison.Ordinal)));
        Assert.Equal(winner.Document!["total"]!.ToJsonString(), (await Host.GetRequiredService<IAuditDocumentStore>().GetAsync("orders", "o1"))!.Document["total"]!.ToJsonString());
        Assert.True((await AuditLog.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task Pipeline_AuditInsertFailsAfterTheDocumentRow_NeitherChangeNorRecord()
    {
        await Pipeline.CreateAsync(_token, "orders", "o1", new JsonObject { ["total"] = 1 }, Write);
        await ExecuteAsync($"""
            CREATE FUNCTION {Schema}.fail_audit_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN RAISE EXCEPTION 'injected audit failure'; END $fn$;
            CREATE TRIGGER fail_audit_insert BEFORE INSERT ON {Schema}.audit_log FOR EACH ROW EXECUTE FUNCTION {Schema}.fail_audit_insert();
            """);

        var ex = await Assert.ThrowsAsync<PostgresException>(() => Pipeline.UpdateAsync(_token, "orders", "o1", new JsonObject { ["total"] = 2 }, Write, expectedVersion: 1));

        Assert.Contains("injected audit failure", ex.MessageText, StringComparison.Ordinal);
        await ExecuteAsync($"DROP TRIGGER fail_audit_insert ON {Schema}.audit_log");
        await AssertUnchangedAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Pipeline_ConnectionKilledOrCanceledBeforeCommit_NeitherChangeNorRecord(bool kill)
    {
        await Pipeline.CreateAsync(_token, "orders", "o1", new JsonObject { ["total"] = 1 }, Write);

        // The audit insert waits inside the transaction, after the document row was updated, until the test ends it.
        await ExecuteAsync($"""
            CREATE FUNCTION {Schema}.stall_audit_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN PERFORM pg_sleep(300); RETURN NEW; END $fn$;
            CREATE TRIGGER stall_audit_insert BEFORE INSERT ON {Schema}.audit_log FOR EACH ROW EXECUTE FUNCTION {Schema}.stall_audit_insert();
            """);
        using var cancel = new CancellationTokenSource();
        var write = Pipeline.UpdateAsync(_token, "orders", "o1", new JsonObject { ["total"] = 2 }, Write, expectedVersion: 1, cancel.Token);

        var pid = await WaitForStalledInsertAsync();
        if (kill)
        {
            await ExecuteAsync($"SELECT pg_terminate_backend({pid})");
        }
        else
        {
            await cancel.CancelAsync();
        }

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => write);
        Assert.True(ex is NpgsqlException or OperationCanceledException, ex.ToString());
        await ExecuteAsync($"DROP TRIGGER stall_audit_insert ON {Schema}.audit_log");
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task Pipeline_TransactionalWrite_EmitsTheAuditSpansAndTheAppendCounter()
    {
        using var collector = new MetricCollector(AuditPostgreSqlTelemetry.MeterName, Host.GetRequiredService<IMeterFactory>());
        var spans = new List<(string Name, string? Status)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is AuditTelemetry.ActivitySourceName or AuditPostgreSqlTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                lock (spans)
                {
                    spans.Add((a.OperationName, a.GetTagItem("cosmos.audit.status") as string));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var result = await Pipeline.CreateAsync(_token, "orders", "telemetry-1", new JsonObject { ["total"] = 1 }, Write);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(1, collector.Sum(AuditPostgreSqlTelemetry.AuditRecordsAppended));
        lock (spans)
        {
            Assert.Contains((AuditPostgreSqlTelemetry.DocumentWriteSpan, (string?)null), spans);
            Assert.Contains((AuditTelemetry.AuditedWriteSpan, (string?)nameof(AuditedWriteStatus.Succeeded)), spans);
        }
    }

    private async Task<int> WaitForStalledInsertAsync()
    {
        // Bounded wait for the server to show the stalled insert; a failure here names what never happened.
        for (var attempt = 0; attempt < 600; attempt++)
        {
            await using var command = DataSource.CreateCommand(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep' AND query LIKE 'INSERT INTO%audit_log%'");
            if (await command.ExecuteScalarAsync() is int pid)
            {
                return pid;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException("The audit insert never reached the stalling trigger.");
    }

    private async Task AssertUnchangedAsync()
    {
        var stored = (await Host.GetRequiredService<IAuditDocumentStore>().GetAsync("orders", "o1"))!;
        Assert.Equal(1, stored.Version);
        Assert.Equal(1, (int)stored.Document["total"]!);
        var records = await RecordsAsync();
        var record = Assert.Single(records);
        Assert.Contains("\"action\":\"Create\"", record, StringComparison.Ordinal);

        // The version was never taken: the same update goes through now, with its record.
        var retried = await Pipeline.UpdateAsync(_token, "orders", "o1", new JsonObject { ["total"] = 2 }, Write, expectedVersion: 1);
        Assert.Equal(AuditedWriteStatus.Succeeded, retried.Status);
        Assert.Equal(2, retried.Version);
        var verification = await AuditLog.VerifyAsync();
        Assert.True(verification.IsValid, verification.ToString());
        Assert.Equal(2, verification.RecordCount);
    }
}
