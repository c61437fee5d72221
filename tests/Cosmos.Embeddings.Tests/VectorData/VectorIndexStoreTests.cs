using Cosmos.Embeddings.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace Cosmos.Embeddings.Tests.VectorData;

public sealed class VectorIndexStoreTests
{
    public sealed class Doc
    {
        [VectorStoreKey]
        public string Id { get; set; } = "";

        [VectorStoreData]
        public string Tenant { get; set; } = "";

        [VectorStoreData]
        public string Text { get; set; } = "";

        [VectorStoreVector(3)]
        public ReadOnlyMemory<float> Vector { get; set; }
    }

    public sealed class TextDoc
    {
        [VectorStoreKey]
        public string Id { get; set; } = "";

        [VectorStoreVector(64)]
        public float[] Vector { get; set; } = [];
    }

    private static Doc D(string id, string tenant, params float[] vector) => new() { Id = id, Tenant = tenant, Vector = vector };

    private static async Task<VectorStoreCollection<string, Doc>> SeededAsync(VectorIndexStore store)
    {
        var docs = store.GetCollection<string, Doc>("docs");
        await docs.EnsureCollectionExistsAsync();
        await docs.UpsertAsync([D("x", "a", 1, 0, 0), D("xy", "b", 1, 1, 0), D("y", "a", 0, 1, 0), D("z", "b", 0, 0, 1)]);
        return docs;
    }

    [Fact]
    public async Task SearchAsync_Vector_ReturnsTopKWithCosineScoresBestFirst()
    {
        using var store = new VectorIndexStore();
        var docs = await SeededAsync(store);

        var hits = await docs.SearchAsync(new ReadOnlyMemory<float>([1f, 0.1f, 0f]), top: 2).ToListAsync();

        Assert.Equal(["x", "xy"], hits.Select(h => h.Record.Id));
        Assert.Equal(1 / Math.Sqrt(1.01), hits[0].Score!.Value, 5);
        Assert.Equal(1.1 / Math.Sqrt(2 * 1.01), hits[1].Score!.Value, 5);
    }

    [Fact]
    public async Task SearchAsync_EqualityFilterSkipAndThreshold_AreApplied()
    {
        using var store = new VectorIndexStore();
        var docs = await SeededAsync(store);

        var tenantB = await docs.SearchAsync(new[] { 1f, 0f, 0f }, top: 5, new VectorSearchOptions<Doc> { Filter = d => d.Tenant == "b" }).ToListAsync();
        var skipped = await docs.SearchAsync(new[] { 1f, 0f, 0f }, top: 1, new VectorSearchOptions<Doc> { Skip = 1 }).ToListAsync();
        var close = await docs.SearchAsync(new[] { 1f, 0f, 0f }, top: 4, new VectorSearchOptions<Doc> { ScoreThreshold = 0.5 }).ToListAsync();

        Assert.Equal(["xy", "z"], tenantB.Select(h => h.Record.Id));
        Assert.Equal(["xy"], skipped.Select(h => h.Record.Id));
        Assert.Equal(["x", "xy"], close.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task UpsertGetDelete_RoundTripTheRecord()
    {
        using var store = new VectorIndexStore(new VectorIndexOptions { Quantization = VectorQuantization.Int8 });
        var docs = await SeededAsync(store);
        var replacement = D("x", "c", 0, 0, 1);

        await docs.UpsertAsync(replacement);
        Assert.Same(replacement, await docs.GetAsync("x"));
        var nearest = await docs.SearchAsync(new[] { 0f, 0f, 1f }, top: 2).ToListAsync();
        Assert.Equal(["x", "z"], nearest.Select(h => h.Record.Id).Order());

        await docs.DeleteAsync("x");
        Assert.Null(await docs.GetAsync("x"));
        Assert.DoesNotContain(await docs.SearchAsync(new[] { 0f, 0f, 1f }, top: 4).ToListAsync(), h => h.Record.Id == "x");
        Assert.Equal(["y"], await docs.GetAsync(d => d.Tenant == "a", top: 10).Select(d => d.Id).ToListAsync());
    }

    [Fact]
    public async Task UpsertAsync_WrongDimension_ThrowsAndStoresNothing()
    {
        using var store = new VectorIndexStore();
        var docs = await SeededAsync(store);

        await Assert.ThrowsAsync<ArgumentException>(() => docs.UpsertAsync(D("bad", "a", 1, 2)));

        Assert.Null(await docs.GetAsync("bad"));
    }

    [Fact]
    public async Task UpsertAsync_NullVector_ThrowsNamingTheVectorProperty()
    {
        using var store = new VectorIndexStore();
        var texts = store.GetCollection<string, TextDoc>("texts");

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => texts.UpsertAsync(new TextDoc { Id = "1", Vector = null! }));

        Assert.Contains("'Vector'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_Text_EmbedsWithTheStoresGenerator()
    {
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { Dimensions = 64 });
        using var store = new VectorIndexStore(embeddingGenerator: generator);
        var docs = store.GetCollection<string, TextDoc>("texts");
        foreach (var (id, text) in new[] { ("1", "circuit breaker opens"), ("2", "audit log hash chain") })
        {
            await docs.UpsertAsync(new TextDoc { Id = id, Vector = (await generator.GenerateVectorAsync(text)).ToArray() });
        }

        var hits = await docs.SearchAsync("circuit breaker opens", top: 1).ToListAsync();

        Assert.Equal("1", Assert.Single(hits).Record.Id);
        Assert.Equal(1.0, hits[0].Score!.Value, 4);
    }

    [Fact]
    public async Task Store_CollectionsLifecycleAndKeyType()
    {
        using var store = new VectorIndexStore();
        var docs = await SeededAsync(store);

        Assert.True(await store.CollectionExistsAsync("docs"));
        Assert.Equal(["docs"], await store.ListCollectionNamesAsync().ToListAsync());
        Assert.Throws<NotSupportedException>(() => store.GetCollection<int, Doc>("other"));
        Assert.Equal(VectorIndexStore.SystemName, ((VectorStoreMetadata)store.GetService(typeof(VectorStoreMetadata))!).VectorStoreSystemName);

        await docs.EnsureCollectionDeletedAsync();
        Assert.False(await store.CollectionExistsAsync("docs"));
        Assert.False(await docs.CollectionExistsAsync());
    }

    [Fact]
    public void AddCosmosEmbeddings_RegistersTheVectorStore()
    {
        using var services = new ServiceCollection().AddCosmosEmbeddings().BuildServiceProvider();

        Assert.IsType<VectorIndexStore>(services.GetRequiredService<VectorStore>());
    }
}
