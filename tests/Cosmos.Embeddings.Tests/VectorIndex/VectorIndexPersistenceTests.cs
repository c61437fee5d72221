namespace Cosmos.Embeddings.Tests.VectorIndex;

public sealed class VectorIndexPersistenceTests
{
    private static Cosmos.Embeddings.Indexing.VectorIndex Sample(VectorQuantization quantization, int count = 40)
    {
        var index = new Cosmos.Embeddings.Indexing.VectorIndex("model-ü", 24, new VectorIndexOptions { Quantization = quantization, RescoreOversampling = 3 });
        float[][] rows = VectorTestData.Gaussian(count, 24, 8);
        for (int i = 0; i < rows.Length; i++)
        {
            index.Add($"doc-{i}-é", rows[i], i % 2 == 0 ? new Dictionary<string, string> { ["i"] = $"{i}", ["lang"] = "日本語" } : null);
        }

        index.Remove("doc-5-é");
        return index;
    }

    private static byte[] SaveToBytes(Cosmos.Embeddings.Indexing.VectorIndex index)
    {
        using var stream = new MemoryStream();
        index.Save(stream);
        return stream.ToArray();
    }

    [Theory]
    [InlineData(VectorQuantization.None)]
    [InlineData(VectorQuantization.Int8)]
    public void SaveLoad_RoundTrip_SameSettingsEntriesAndResults(VectorQuantization quantization)
    {
        using var original = Sample(quantization);
        byte[] bytes = SaveToBytes(original);
        using var loaded = Cosmos.Embeddings.Indexing.VectorIndex.Load(new MemoryStream(bytes));

        Assert.Equal(original.ModelId, loaded.ModelId);
        Assert.Equal(original.Dimensions, loaded.Dimensions);
        Assert.Equal(original.Quantization, loaded.Quantization);
        Assert.Equal(3, loaded.RescoreOversampling);
        Assert.Equal(original.Count, loaded.Count);
        foreach (float[] query in VectorTestData.Gaussian(10, 24, 9))
        {
            var expected = original.Search(query, 7);
            var actual = loaded.Search(query, 7);
            Assert.Equal(expected.Select(r => (r.Id, r.Score)), actual.Select(r => (r.Id, r.Score)));
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Metadata.OrderBy(p => p.Key), actual[i].Metadata.OrderBy(p => p.Key));
            }
        }

        Assert.Equal(bytes, SaveToBytes(loaded));
    }

    [Fact]
    public void SaveLoad_FilePath_RoundTripAndReplacesExisting()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cosmos-index-{Guid.NewGuid():N}.cvix");
        try
        {
            using (var small = Sample(VectorQuantization.None, count: 3))
            {
                small.Save(path);
            }

            using var original = Sample(VectorQuantization.None);
            original.Save(path);
            using var loaded = Cosmos.Embeddings.Indexing.VectorIndex.Load(path);
            Assert.Equal(original.Count, loaded.Count);
            Assert.False(File.Exists(path + ".tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SaveLoad_EmptyIndex_RoundTrips()
    {
        using var empty = new Cosmos.Embeddings.Indexing.VectorIndex("m", 5);
        using var loaded = Cosmos.Embeddings.Indexing.VectorIndex.Load(new MemoryStream(SaveToBytes(empty)));
        Assert.Equal(0, loaded.Count);
        Assert.Equal(5, loaded.Dimensions);
    }

    [Fact]
    public void Load_AnySingleFlippedByte_ThrowsInvalidDataException()
    {
        using var index = Sample(VectorQuantization.Int8, count: 6);
        byte[] bytes = SaveToBytes(index);
        for (int position = 0; position < bytes.Length; position++)
        {
            byte[] corrupt = (byte[])bytes.Clone();
            corrupt[position] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => Cosmos.Embeddings.Indexing.VectorIndex.Load(new MemoryStream(corrupt)));
        }
    }

    [Fact]
    public void Load_TruncatedAtAnyLength_ThrowsInvalidDataException()
    {
        using var index = Sample(VectorQuantization.None, count: 6);
        byte[] bytes = SaveToBytes(index);
        for (int length = 0; length < bytes.Length; length++)
        {
            byte[] truncated = bytes[..length];
            Assert.Throws<InvalidDataException>(() => Cosmos.Embeddings.Indexing.VectorIndex.Load(new MemoryStream(truncated)));
            Assert.Throws<InvalidDataException>(() => Cosmos.Embeddings.Indexing.VectorIndex.Load(new NonSeekableStream(truncated)));
        }
    }

    [Fact]
    public void Load_OtherFileOrFutureVersion_ClearMessage()
    {
        var notIndex = Assert.Throws<InvalidDataException>(() => Cosmos.Embeddings.Indexing.VectorIndex.Load(new MemoryStream("PK\u0003\u0004 this is a zip"u8.ToArray())));
        Assert.Contains("magic", notIndex.Message, StringComparison.Ordinal);

        using var index = Sample(VectorQuantization.None, count: 2);
        byte[] bytes = SaveToBytes(index);
        bytes[4] = 9;
        var version = Assert.Throws<InvalidDataException>(() => Cosmos.Embeddings.Indexing.VectorIndex.Load(new MemoryStream(bytes)));
        Assert.Contains("version 9", version.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PayloadByteFlipped_ReportsChecksumFailure()
    {
        using var index = Sample(VectorQuantization.None, count: 4);
        byte[] bytes = SaveToBytes(index);
        bytes[^40] ^= 0x01; // inside the last vector, before the 32-byte trailer
        var ex = Assert.Throws<InvalidDataException>(() => Cosmos.Embeddings.Indexing.VectorIndex.Load(new MemoryStream(bytes)));
        Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
