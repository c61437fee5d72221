namespace Cosmos.Embeddings.Tests.VectorIndex;

/// <summary>int8 indexes whose float32 rescoring copy lives in a file rather than in memory.</summary>
public sealed class VectorIndexRescoreStorageTests
{
    private const int Dimensions = 64;

    private static Cosmos.Embeddings.Indexing.VectorIndex Build(float[][] rows, VectorIndexOptions options)
    {
        var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", Dimensions, options);
        for (var i = 0; i < rows.Length; i++)
        {
            index.Add($"v{i:D5}", rows[i], new Dictionary<string, string> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        return index;
    }

    [Fact]
    public void Search_Int8WithFileRescoring_EqualsInt8WithMemoryRescoring()
    {
        var rows = VectorTestData.Gaussian(2_000, Dimensions, seed: 7);
        var queries = VectorTestData.Gaussian(20, Dimensions, seed: 8);
        using var file = Build(rows, new VectorIndexOptions { Quantization = VectorQuantization.Int8 });
        using var memory = Build(rows, new VectorIndexOptions { Quantization = VectorQuantization.Int8, RescoreStorage = VectorRescoreStorage.Memory });

        Assert.NotNull(file.RescoreFilePath);
        Assert.Null(memory.RescoreFilePath);
        foreach (var query in queries)
        {
            var a = file.Search(query, 10);
            var b = memory.Search(query, 10);
            Assert.Equal(b.Select(h => (h.Id, h.Score)), a.Select(h => (h.Id, h.Score)));
        }
    }

    [Fact]
    public void RemoveAndUpsert_Int8WithFileRescoring_SearchStillMatchesTheOracle()
    {
        var rows = VectorTestData.Gaussian(300, Dimensions, seed: 11);
        using var index = Build(rows, new VectorIndexOptions { Quantization = VectorQuantization.Int8, RescoreOversampling = 64 });
        var entries = rows.Select((v, i) => (Id: $"v{i:D5}", Vector: v)).ToList();
        for (var i = 0; i < 300; i += 3)
        {
            Assert.True(index.Remove($"v{i:D5}"));
            entries.RemoveAll(e => e.Id == $"v{i:D5}");
        }

        var replacement = VectorTestData.Gaussian(1, Dimensions, seed: 12)[0];
        index.Upsert("v00001", replacement);
        entries[entries.FindIndex(e => e.Id == "v00001")] = ("v00001", replacement);

        foreach (var query in VectorTestData.Gaussian(10, Dimensions, seed: 13))
        {
            var expected = VectorTestData.BruteForce(entries, query, 5);
            var actual = index.Search(query, 5);
            Assert.Equal(expected.Select(e => e.Id), actual.Select(h => h.Id));
            for (var k = 0; k < expected.Length; k++)
            {
                Assert.Equal(expected[k].Score, actual[k].Score, 5);
            }
        }
    }

    [Fact]
    public void Dispose_TemporaryRescoreFile_IsDeletedAndAHostFileIsKept()
    {
        var rows = VectorTestData.Gaussian(10, Dimensions, seed: 3);
        var hostPath = Path.Combine(Path.GetTempPath(), $"cosmos-test-{Guid.NewGuid():N}.f32");
        string temporary;
        using (var index = Build(rows, new VectorIndexOptions { Quantization = VectorQuantization.Int8 }))
        {
            temporary = index.RescoreFilePath!;
            Assert.True(File.Exists(temporary));
        }

        try
        {
            using (var index = Build(rows, new VectorIndexOptions { Quantization = VectorQuantization.Int8, RescoreFilePath = hostPath }))
            {
                Assert.Equal(hostPath, index.RescoreFilePath);
            }

            Assert.False(File.Exists(temporary));
            Assert.Equal(10L * Dimensions * sizeof(float), new FileInfo(hostPath).Length);
        }
        finally
        {
            File.Delete(hostPath);
        }
    }

    [Fact]
    public void SaveAndLoad_Int8WithFileRescoring_RoundTripsTheFloatVectors()
    {
        var rows = VectorTestData.Gaussian(50, Dimensions, seed: 21);
        using var index = Build(rows, new VectorIndexOptions { Quantization = VectorQuantization.Int8 });
        using var stream = new MemoryStream();
        index.Save(stream);
        stream.Position = 0;

        using var loaded = Cosmos.Embeddings.Indexing.VectorIndex.Load(stream);

        Assert.Equal(VectorQuantization.Int8, loaded.Quantization);
        Assert.NotNull(loaded.RescoreFilePath);
        var query = VectorTestData.Gaussian(1, Dimensions, seed: 22)[0];
        Assert.Equal(index.Search(query, 7).Select(h => (h.Id, h.Score)), loaded.Search(query, 7).Select(h => (h.Id, h.Score)));
    }

    [Fact]
    public void Add_Int8WithFileRescoring_AllocatesAtMostThirtyPercentOfTheFloatIndex()
    {
        const int Rows = 20_000;
        var vector = VectorTestData.Gaussian(1, 384, seed: 5)[0];
        var ids = Enumerable.Range(0, Rows).Select(i => $"doc-{i}").ToArray();

        long Allocated(VectorIndexOptions options)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            using var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", 384, options);
            foreach (var id in ids)
            {
                index.Add(id, vector);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var floatBytes = Allocated(new VectorIndexOptions { InitialCapacity = Rows });
        var int8Bytes = Allocated(new VectorIndexOptions { InitialCapacity = Rows, Quantization = VectorQuantization.Int8 });
        var int8MemoryBytes = Allocated(new VectorIndexOptions { InitialCapacity = Rows, Quantization = VectorQuantization.Int8, RescoreStorage = VectorRescoreStorage.Memory });

        Assert.True(int8Bytes <= floatBytes * 0.30, $"int8 {int8Bytes:N0} bytes vs float {floatBytes:N0}");
        Assert.True(int8MemoryBytes > floatBytes, "keeping the float copy in memory costs more than the float index");
    }
}
