using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.PostgreSql.Documents;
using Cosmos.Audit.PostgreSql.Log;
using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Tests.Documents;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlAuditDocumentStoreTests(PostgreSqlFixture fixture) : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;
    private PostgreSqlAuditDocumentStore? _store;
    private PostgreSqlAuditLog? _log;

    private PostgreSqlAuditDocumentStore Store => _store!;

    private PostgreSqlAuditLog AuditLog => _log!;

    public async Task InitializeAsync()
    {
        _dataSource = await fixture.CreateDatabaseAsync();
        _store = new PostgreSqlAuditDocumentStore(_dataSource);
        _log = new PostgreSqlAuditLog(_dataSource);
    }

    public async Task DisposeAsync()
    {
        _store?.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    private static AuditEvent Change(string id, int total, AuditAction action = AuditAction.Update) =>
        AuditEvent.Create(action, "orders", id, "alice (alice123)|verified|ts:x|sig:y", null, new JsonObject { ["total"] = total });

    [Fact]
    public async Task PutAsync_CreateThenUpdate_IncrementsTheVersion()
    {
        Assert.Equal(1, await Store.PutAsync("orders", "o1", new JsonObject { ["total"] = 1 }, AuditStoredDocument.NoVersion));
        Assert.Equal(2, await Store.PutAsync("orders", "o1", new JsonObject { ["total"] = 2, ["note"] = "ü \"quoted\"" }, 1));

        var stored = await Store.GetAsync("orders", "o1");

        Assert.Equal(2, stored!.Version);
        Assert.Equal(2, (int)stored.Document["total"]!);
        Assert.Equal("ü \"quoted\"", (string)stored.Document["note"]!);
        Assert.Null(await Store.GetAsync("orders", "missing"));
    }

    [Fact]
    public async Task PutAsync_StaleUpdate_IsRefusedNamingBothVersions()
    {
        await Store.PutAsync("orders", "o1", new JsonObject { ["total"] = 1 }, AuditStoredDocument.NoVersion);
        await Store.PutAsync("orders", "o1", new JsonObject { ["total"] = 2 }, 1);

        var ex = await Assert.ThrowsAsync<AuditConcurrencyException>(async () => await Store.PutAsync("orders", "o1", new JsonObject { ["total"] = 99 }, 1));

        Assert.Equal(1, ex.ExpectedVersion);
        Assert.Equal(2, ex.ActualVersion);
        Assert.Equal(2, (int)(await Store.GetAsync("orders", "o1"))!.Document["total"]!);
    }

    [Fact]
    public async Task PutAsync_CreateOfAnExistingDocument_IsRefused()
    {
        await Store.PutAsync("orders", "o1", new JsonObject(), AuditStoredDocument.NoVersion);

        var ex = await Assert.ThrowsAsync<AuditConcurrencyException>(async () => await Store.PutAsync("orders", "o1", new JsonObject(), AuditStoredDocument.NoVersion));

        Assert.Equal(1, ex.ActualVersion);
    }

    [Fact]
    public async Task PutAsync_TwoHostsUpdateFromTheSameVersion_ExactlyOneWins()
    {
        await Store.PutAsync("orders", "o1", new JsonObject { ["total"] = 0 }, AuditStoredDocument.NoVersion);
        await using var otherSource = NpgsqlDataSource.Create(_dataSource!.ConnectionString);
        using var otherHost = new PostgreSqlAuditDocumentStore(otherSource);

        var attempts = await Task.WhenAll(
            Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                try
                {
                    await (i % 2 == 0 ? Store : otherHost).PutAsync("orders", "o1", new JsonObject { ["total"] = i }, 1);
                    return true;
                }
                catch (AuditConcurrencyException)
                {
                    return false;
                }
            })));

        Assert.Single(attempts, won => won);
        Assert.Equal(2, (await Store.GetAsync("orders", "o1"))!.Version);
    }

    [Fact]
    public async Task WriteAsync_DocumentAndRecord_CommitTogetherInTheSharedChain()
    {
        await AuditLog.AppendAsync(Change("other", 0));
        var created = Change("o1", 10, AuditAction.Create);

        var write = await Store.WriteAsync(created, AuditStoredDocument.NoVersion);
        await AuditLog.AppendAsync(Change("other", 1));
        var updated = await Store.WriteAsync(Change("o1", 11), write.Version);

        Assert.Equal(new AuditedDocumentWrite(1, 2), write);
        Assert.Equal(new AuditedDocumentWrite(2, 4), updated);
        Assert.Equal(11, (int)(await Store.GetAsync("orders", "o1"))!.Document["total"]!);
        Assert.True(await AuditLog.ContainsAsync(created.EventId));
        var verification = await AuditLog.VerifyAsync();
        Assert.True(verification.IsValid, verification.ToString());
        Assert.Equal(4, verification.RecordCount);

        // Publishing the same event afterwards (the pipeline's path) does not log it twice.
        Assert.Equal(2, await AuditLog.AppendAsync(created));
        Assert.Equal(4, await AuditLog.CountAsync());
    }

    [Fact]
    public async Task WriteAsync_StaleVersion_WritesNeitherDocumentNorRecord()
    {
        await Store.WriteAsync(Change("o1", 1, AuditAction.Create), AuditStoredDocument.NoVersion);
        await Store.WriteAsync(Change("o1", 2), 1);
        var stale = Change("o1", 99);

        await Assert.ThrowsAsync<AuditConcurrencyException>(() => Store.WriteAsync(stale, 1));

        Assert.False(await AuditLog.ContainsAsync(stale.EventId));
        Assert.Equal(2, await AuditLog.CountAsync());
        Assert.Equal(2, (int)(await Store.GetAsync("orders", "o1"))!.Document["total"]!);
    }

    [Fact]
    public async Task WriteAsync_EventWithoutAfter_ThrowsNamingTheArgument()
    {
        var deleteWithoutDocument = AuditEvent.Create(AuditAction.Delete, "orders", "o1", "alice (a1)|verified|ts:x|sig:y", new JsonObject(), null);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(deleteWithoutDocument, 1));

        Assert.Equal("auditEvent", ex.ParamName);
    }

    [Fact]
    public async Task PutWithRecordAsync_StoresTheGivenDocumentAndRecordsTheEventAsGiven()
    {
        var recorded = AuditEvent.Create(AuditAction.Create, "customers", "c1", "alice (alice123)|verified|ts:x|sig:y", null, new JsonObject { ["iban"] = "[redacted]" });

        var version = await Store.PutWithRecordAsync("customers", "c1", new JsonObject { ["iban"] = "DE89370400440532013000" }, AuditStoredDocument.NoVersion, recorded);

        Assert.Equal(1, version);
        Assert.Equal("DE89370400440532013000", (string)(await Store.GetAsync("customers", "c1"))!.Document["iban"]!);
        Assert.True(await AuditLog.ContainsAsync(recorded.EventId));
        await using var command = _dataSource!.CreateCommand("SELECT convert_from(record, 'UTF8') FROM cosmos_audit.audit_log");
        var record = (string)(await command.ExecuteScalarAsync())!;
        Assert.Contains("[redacted]", record, StringComparison.Ordinal);
        Assert.DoesNotContain("0532013000", record, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutWithRecordAsync_EventOfAnotherDocument_ThrowsNamingTheArgumentAndWritesNothing()
    {
        var other = Change("o2", 1, AuditAction.Create);

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await Store.PutWithRecordAsync("orders", "o1", new JsonObject(), AuditStoredDocument.NoVersion, other));

        Assert.Equal("auditEvent", ex.ParamName);
        Assert.Null(await Store.GetAsync("orders", "o1"));
        Assert.Equal(0, await AuditLog.CountAsync());
    }
}
