using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Tests.VectorIndex;

public sealed class VectorIndexMutationTests
{
    [Fact]
    public void Add_InvalidVectors_ThrowNamingTheProblem()
    {
        using var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", 4);
        var inf = Assert.Throws<ArgumentException>(() => index.Add("a", [1f, 2f, 3f, float.PositiveInfinity]));
        Assert.Contains("vector[3]", inf.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => index.Add("a", [1f, 2f]));
        Assert.Throws<ArgumentException>(() => index.Add("a", new float[4]));
        Assert.Throws<ArgumentNullException>(() => index.Add(null!, [1f, 2f, 3f, 4f]));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Add_ExistingId_ThrowsAndKeepsOriginal()
    {
        using var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", 2);
        index.Add("a", [1f, 0f]);
        var ex = Assert.Throws<ArgumentException>(() => index.Add("a", [0f, 1f]));
        Assert.Contains("Upsert", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1f, index.Search([1f, 0f], 1)[0].Score, 6);
    }

    [Fact]
    public void Upsert_ExistingId_ReplacesVectorAndMetadata()
    {
        using var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", 2, new VectorIndexOptions { Quantization = VectorQuantization.Int8 });
        Assert.True(index.Upsert("a", [1f, 0f], new Dictionary<string, string> { ["v"] = "1" }));
        index.Add("b", [0.7f, 0.7f]);
        Assert.False(index.Upsert("a", [0f, 1f], new Dictionary<string, string> { ["v"] = "2" }));
        Assert.Equal(2, index.Count);
        var top = index.Search([0f, 1f], 1)[0];
        Assert.Equal("a", top.Id);
        Assert.Equal(1f, top.Score, 6);
        Assert.Equal("2", top.Metadata["v"]);
    }

    [Fact]
    public void Remove_MiddleEntry_OthersKeepVectorsAndMetadata()
    {
        foreach (var quantization in new[] { VectorQuantization.None, VectorQuantization.Int8 })
        {
            using var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", 16, new VectorIndexOptions { Quantization = quantization });
            float[][] rows = VectorTestData.Gaussian(50, 16, 3);
            for (int i = 0; i < rows.Length; i++)
            {
                index.Add($"id{i}", rows[i], new Dictionary<string, string> { ["i"] = $"{i}" });
            }

            Assert.True(index.Remove("id10"));
            Assert.False(index.Remove("id10"));
            Assert.False(index.Contains("id10"));
            Assert.Equal(49, index.Count);
            for (int i = 0; i < rows.Length; i++)
            {
                if (i == 10)
                {
                    Assert.DoesNotContain(index.Search(rows[i], 49), r => r.Id == "id10");
                    continue;
                }

                var top = index.Search(rows[i], 1)[0];
                Assert.Equal($"id{i}", top.Id);
                Assert.Equal($"{i}", top.Metadata["i"]);
                Assert.Equal(1f, top.Score, 5);
            }
        }
    }

    [Fact]
    public void Add_ManyRows_GrowsStorage()
    {
        using var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", 8, new VectorIndexOptions { InitialCapacity = 1 });
        float[][] rows = VectorTestData.Gaussian(1000, 8, 4);
        for (int i = 0; i < rows.Length; i++)
        {
            index.Add($"{i}", rows[i]);
        }

        Assert.Equal(1000, index.Count);
        Assert.Equal("777", index.Search(rows[777], 1)[0].Id);
    }

    [Fact]
    public void Metadata_CallerMutatesAfterAdd_StoredCopyUnchanged()
    {
        using var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", 2);
        var metadata = new Dictionary<string, string> { ["k"] = "before" };
        index.Add("a", [1f, 0f], metadata);
        metadata["k"] = "after";
        Assert.Equal("before", index.Search([1f, 0f], 1)[0].Metadata["k"]);
    }

    [Fact]
    public void EmbeddingOverloads_OtherModel_ThrowAndNameBothModels()
    {
        using var index = new Cosmos.Embeddings.Indexing.VectorIndex(LocalEmbeddingGenerator.ModelId, 2);
        var foreign = new Embedding<float>(new float[] { 1f, 0f }) { ModelId = "text-embedding-3-small" };
        var ex = Assert.Throws<ArgumentException>(() => index.Add("a", foreign));
        Assert.Contains("text-embedding-3-small", ex.Message, StringComparison.Ordinal);
        Assert.Contains(LocalEmbeddingGenerator.ModelId, ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => index.Upsert("a", foreign));
        Assert.Throws<ArgumentException>(() => index.Search(foreign, 1));
        Assert.Throws<ArgumentException>(() => index.Add("a", new Embedding<float>(new float[] { 1f, 0f })));
        Assert.Equal(0, index.Count);

        var own = new Embedding<float>(new float[] { 1f, 0f }) { ModelId = LocalEmbeddingGenerator.ModelId };
        index.Add("a", own);
        Assert.Equal("a", index.Search(own, 1)[0].Id);
    }

    [Fact]
    public async Task LocalProviderAndIndex_SmallCorpus_FindsLexicallyClosestDocument()
    {
        using var generator = new LocalEmbeddingGenerator();
        var factory = new VectorIndexFactory();
        using var index = factory.Create(generator);
        string[] corpus = ["Cats sleep most of the day", "The stock market fell sharply", "Dogs love long walks in the park", "Rust and C# both have generics"];
        var embeddings = await generator.GenerateAsync(corpus);
        for (int i = 0; i < corpus.Length; i++)
        {
            index.Add($"doc{i}", embeddings[i], new Dictionary<string, string> { ["text"] = corpus[i] });
        }

        var query = await generator.GenerateAsync(["why do cats sleep all day"]);
        Assert.Equal("doc0", index.Search(query[0], 1)[0].Id);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new Cosmos.Embeddings.Indexing.VectorIndex(null!, 4));
        Assert.Throws<ArgumentException>(() => new Cosmos.Embeddings.Indexing.VectorIndex(" ", 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cosmos.Embeddings.Indexing.VectorIndex("m", 0));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Cosmos.Embeddings.Indexing.VectorIndex("m", 4, new VectorIndexOptions { RescoreOversampling = 0 }));
        Assert.Equal(nameof(VectorIndexOptions.RescoreOversampling), ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cosmos.Embeddings.Indexing.VectorIndex("m", 4, new VectorIndexOptions { Quantization = (VectorQuantization)7 }));
    }
}
