using System.Text.Json.Nodes;
using Cosmos.Audit.Pipeline;

namespace Cosmos.Audit.Tests.Pipeline;

public sealed class InMemoryAuditDocumentStoreTests
{
    [Fact]
    public async Task PutAsync_CreateThenUpdates_VersionGrowsByOne()
    {
        var store = new InMemoryAuditDocumentStore();
        Assert.Equal(1, await store.PutAsync("docs", "d1", new JsonObject { ["n"] = 1 }, AuditStoredDocument.NoVersion));
        Assert.Equal(2, await store.PutAsync("docs", "d1", new JsonObject { ["n"] = 2 }, 1));
        var read = await store.GetAsync("docs", "d1");
        Assert.Equal(2, read!.Version);
        Assert.Equal(2, (int)read.Document["n"]!);
    }

    [Fact]
    public async Task PutAsync_StaleVersion_ThrowsAndKeepsStoredDocument()
    {
        var store = new InMemoryAuditDocumentStore();
        await store.PutAsync("docs", "d1", new JsonObject { ["n"] = 1 }, 0);
        await store.PutAsync("docs", "d1", new JsonObject { ["n"] = 2 }, 1);

        var ex = await Assert.ThrowsAsync<AuditConcurrencyException>(() => store.PutAsync("docs", "d1", new JsonObject { ["n"] = 3 }, 1).AsTask());

        Assert.Equal(("docs", "d1", 1L, (long?)2), (ex.Collection, ex.DocumentId, ex.ExpectedVersion, ex.ActualVersion));
        Assert.Equal(2, (int)(await store.GetAsync("docs", "d1"))!.Document["n"]!);
    }

    [Fact]
    public async Task PutAsync_CreateOfExistingId_Throws()
    {
        var store = new InMemoryAuditDocumentStore();
        await store.PutAsync("docs", "d1", new JsonObject(), 0);
        var ex = await Assert.ThrowsAsync<AuditConcurrencyException>(() => store.PutAsync("docs", "d1", new JsonObject(), 0).AsTask());
        Assert.Equal(1, ex.ActualVersion);
    }

    [Fact]
    public async Task PutAsync_ManyConcurrentWritersOfOneVersion_ExactlyOneWins()
    {
        var store = new InMemoryAuditDocumentStore();
        await store.PutAsync("docs", "d1", new JsonObject(), 0);
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.PutAsync("docs", "d1", new JsonObject { ["writer"] = i }, 1);
                return true;
            }
            catch (AuditConcurrencyException)
            {
                return false;
            }
        })));
        Assert.Single(results, r => r);
        Assert.Equal(2, (await store.GetAsync("docs", "d1"))!.Version);
    }

    [Fact]
    public async Task PutAsync_NegativeVersion_ThrowsNamingArgument()
    {
        var store = new InMemoryAuditDocumentStore();
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.PutAsync("docs", "d1", new JsonObject(), -1).AsTask());
        Assert.Equal("expectedVersion", ex.ParamName);
    }
}
