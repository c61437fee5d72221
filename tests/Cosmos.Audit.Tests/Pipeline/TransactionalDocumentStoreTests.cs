using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Validators;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cosmos.Audit.Tests.Pipeline;

public sealed class TransactionalDocumentStoreTests
{
    private static AuditTestHost Host(bool transactional) =>
        AuditTestHost.Create(services2: s =>
        {
            s.AddCosmosAuditValidators(v => v.AddPii(o => o.Rules.Add(new AuditPiiRule("customers", "/iban", AuditPiiAction.Allow))));
            if (transactional)
            {
                s.Replace(ServiceDescriptor.Singleton<IAuditDocumentStore, RecordingTransactionalStore>());
            }
        });

    private static async Task<AuditedWriteResult[]> RunScenarioAsync(AuditTestHost host)
    {
        var token = host.TokenFor("alice123", "alice", "editor");
        var created = await host.Pipeline.CreateAsync(token, "customers", "c1", new JsonObject { ["iban"] = "GB82 WEST 1234 5698 7654 32", ["_created_by"] = "mallory" }, AuditTestHost.Write);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var updated = await host.Pipeline.UpdateAsync(token, "customers", "c1", new JsonObject { ["iban"] = "DE89370400440532013000" }, AuditTestHost.Write, expectedVersion: 1);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var deleted = await host.Pipeline.DeleteAsync(token, "customers", "c1", AuditTestHost.Write, expectedVersion: 2);
        return [created, updated, deleted];
    }

    [Fact]
    public async Task Pipeline_TransactionalStore_RecordsEachChangeOnceWithTheStoreAndNeverThroughTheSink()
    {
        await using var host = Host(transactional: true);
        var store = (RecordingTransactionalStore)host.Services.GetRequiredService<IAuditDocumentStore>();

        var results = await RunScenarioAsync(host);

        Assert.All(results, r => Assert.Equal(AuditedWriteStatus.Succeeded, r.Status));
        Assert.All(results, r => Assert.Equal(AuditPublishOutcome.Written, r.AuditOutcome));
        Assert.Equal(results.Select(r => r.Event!.EventId), store.Records.Select(e => e.EventId));
        Assert.Equal([AuditAction.Create, AuditAction.Update, AuditAction.Delete], store.Records.Select(e => e.Action));

        // The store keeps the raw document; the record it committed is the redacted one the validators produced.
        var stored = (await store.GetAsync("customers", "c1"))!;
        Assert.Equal(3, stored.Version);
        Assert.Equal("DE89370400440532013000", (string)stored.Document["iban"]!);
        Assert.Equal("[redacted]", (string)store.Records[1].After!["iban"]!);
        Assert.Equal(0, host.Services.GetRequiredService<AuditLogFile>().Count);
    }

    [Fact]
    public async Task Pipeline_TransactionalAndPlainStore_BuildTheSameEvents()
    {
        await using var plainHost = Host(transactional: false);
        await using var transactionalHost = Host(transactional: true);

        var plain = (await RunScenarioAsync(plainHost)).Select(r => r.Event!).ToArray();
        var returned = (await RunScenarioAsync(transactionalHost)).Select(r => r.Event!).ToArray();
        var transactional = ((RecordingTransactionalStore)transactionalHost.Services.GetRequiredService<IAuditDocumentStore>()).Records;
        Assert.Equal(returned, transactional);

        Assert.Equal(3, plainHost.Services.GetRequiredService<AuditLogFile>().Count);
        Assert.Equal(plain.Length, transactional.Count);
        for (var i = 0; i < plain.Length; i++)
        {
            Assert.Equal(plain[i].Action, transactional[i].Action);
            Assert.Equal(plain[i].Collection, transactional[i].Collection);
            Assert.Equal(plain[i].DocumentId, transactional[i].DocumentId);
            Assert.Equal(plain[i].Author, transactional[i].Author);
            Assert.Equal(plain[i].OccurredAt, transactional[i].OccurredAt);
            Assert.Equal(plain[i].Before?.ToJsonString(), transactional[i].Before?.ToJsonString());
            Assert.Equal(plain[i].After?.ToJsonString(), transactional[i].After?.ToJsonString());
        }
    }

    [Fact]
    public async Task Pipeline_TransactionalStoreStaleVersion_RefusedBeforeTheStoreAndSecurityEventLogged()
    {
        await using var host = Host(transactional: true);
        var store = (RecordingTransactionalStore)host.Services.GetRequiredService<IAuditDocumentStore>();
        var token = host.TokenFor("alice123", "alice", "editor");
        await host.Pipeline.CreateAsync(token, "customers", "c1", new JsonObject { ["name"] = "a" }, AuditTestHost.Write);
        await host.Pipeline.UpdateAsync(token, "customers", "c1", new JsonObject { ["name"] = "b" }, AuditTestHost.Write, expectedVersion: 1);

        var stale = await host.Pipeline.UpdateAsync(token, "customers", "c1", new JsonObject { ["name"] = "c" }, AuditTestHost.Write, expectedVersion: 1);

        Assert.Equal(AuditedWriteStatus.VersionMismatch, stale.Status);
        Assert.Equal(2, stale.Version);
        Assert.Equal(2, store.Records.Count);
        Assert.Equal("b", (string)(await store.GetAsync("customers", "c1"))!.Document["name"]!);
        var line = (await File.ReadAllLinesAsync(host.Services.GetRequiredService<AuditLogFile>().FilePath)).Single();
        Assert.Contains("stale version", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_TransactionalStoreThrows_NothingPublishedAndTheErrorSurfaces()
    {
        await using var host = Host(transactional: true);
        var store = (RecordingTransactionalStore)host.Services.GetRequiredService<IAuditDocumentStore>();
        store.Failure = new InvalidOperationException("the record could not be appended");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            host.Pipeline.CreateAsync(host.TokenFor("alice123", "alice", "editor"), "customers", "c1", new JsonObject(), AuditTestHost.Write));

        Assert.Same(store.Failure, ex);
        Assert.Null(await store.GetAsync("customers", "c1"));
        Assert.Equal(0, host.Services.GetRequiredService<AuditLogFile>().Count);
        Assert.Equal(0, host.Services.GetRequiredService<AuditPublisher>().DeadLetters.Count);
    }

    /// <summary>An in-memory store whose "transaction" keeps the document and the record together under one lock.</summary>
    private sealed class RecordingTransactionalStore : IAuditTransactionalDocumentStore, IDisposable
    {
        private readonly InMemoryAuditDocumentStore _documents = new();
        private readonly SemaphoreSlim _gate = new(1, 1);

        public List<AuditEvent> Records { get; } = [];

        public Exception? Failure { get; set; }

        public void Dispose() => _gate.Dispose();

        public ValueTask<AuditStoredDocument?> GetAsync(string collection, string documentId, CancellationToken cancellationToken = default) =>
            _documents.GetAsync(collection, documentId, cancellationToken);

        public ValueTask<long> PutAsync(string collection, string documentId, JsonObject document, long expectedVersion, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The pipeline must use the transactional write.");

        public async ValueTask<long> PutWithRecordAsync(string collection, string documentId, JsonObject document, long expectedVersion, AuditEvent auditEvent, CancellationToken cancellationToken = default)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            await _gate.WaitAsync(cancellationToken);
            try
            {
                var version = await _documents.PutAsync(collection, documentId, document, expectedVersion, cancellationToken);
                Records.Add(auditEvent);
                return version;
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
