namespace Cosmos.Embeddings.Tests.VectorIndex;

public sealed class VectorIndexConcurrencyTests
{
    [Theory]
    [InlineData(VectorQuantization.None)]
    [InlineData(VectorQuantization.Int8)]
    public async Task AddUpsertRemoveAndSearch_FromSeveralThreads_IndexStaysConsistent(VectorQuantization quantization)
    {
        const int Dimensions = 32;
        const int PerWriter = 2_000;
        using var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", Dimensions, new VectorIndexOptions { Quantization = quantization });
        float[][] vectors = VectorTestData.Gaussian(PerWriter * 2, Dimensions, 5);
        using var writersDone = new CancellationTokenSource();

        Task Writer(int writer) => Task.Run(() =>
        {
            for (int i = 0; i < PerWriter; i++)
            {
                int n = (writer * PerWriter) + i;
                index.Add($"w{writer}-{i}", vectors[n], new Dictionary<string, string> { ["n"] = $"{n}" });
                if (i % 3 == 0)
                {
                    Assert.False(index.Upsert($"w{writer}-{i}", vectors[n], new Dictionary<string, string> { ["n"] = $"{n}", ["upserted"] = "yes" }));
                }

                if (i % 4 == 1)
                {
                    Assert.True(index.Remove($"w{writer}-{i}"));
                }
            }
        });

        var searcher = Task.Run(() =>
        {
            int searches = 0;
            while (!writersDone.IsCancellationRequested || searches == 0)
            {
                var results = index.Search(vectors[searches % vectors.Length], 5);
                Assert.True(results.Count <= 5);
                Assert.Equal(results.Count, results.Select(r => r.Id).Distinct().Count());
                Assert.All(results, r => Assert.True(r.Score is >= -1.0001f and <= 1.0001f));
                searches++;
            }
        });

        await Task.WhenAll(Writer(0), Writer(1));
        await writersDone.CancelAsync();
        await searcher;

        int expected = 2 * (PerWriter - Enumerable.Range(0, PerWriter).Count(i => i % 4 == 1));
        Assert.Equal(expected, index.Count);
        for (int writer = 0; writer < 2; writer++)
        {
            for (int i = 0; i < PerWriter; i += 97)
            {
                int n = (writer * PerWriter) + i;
                Assert.Equal(i % 4 != 1, index.Contains($"w{writer}-{i}"));
                if (i % 4 != 1)
                {
                    var top = index.Search(vectors[n], 1)[0];
                    Assert.Equal($"w{writer}-{i}", top.Id);
                    Assert.Equal($"{n}", top.Metadata["n"]);
                    Assert.Equal(i % 3 == 0, top.Metadata.ContainsKey("upserted"));
                }
            }
        }
    }
}
