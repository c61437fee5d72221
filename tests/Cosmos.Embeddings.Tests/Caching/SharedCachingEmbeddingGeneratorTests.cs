using Cosmos.Embeddings.Caching;
using System.Buffers.Binary;
using FsCheck.Xunit;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings.Tests.Caching;

public sealed class SharedCachingEmbeddingGeneratorTests
{
    [Property]
    public bool Serialize_AnyVector_RoundTripsBitForBit(float[] vector)
    {
        var bytes = EmbeddingVectorSerializer.Serialize(vector);
        var back = EmbeddingVectorSerializer.Deserialize(bytes);
        return bytes.Length == 4 * vector.Length
            && back.Length == vector.Length
            && back.Select(BitConverter.SingleToInt32Bits).SequenceEqual(vector.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(384)]
    public void Serialize_EveryLength_IsRawLittleEndianFloat32(int length)
    {
        var vector = Enumerable.Range(0, length).Select(i => i * 0.5f - 1).ToArray();

        var bytes = EmbeddingVectorSerializer.Serialize(vector);

        Assert.Equal(4 * length, bytes.Length);
        for (var i = 0; i < length; i++)
        {
            Assert.Equal(vector[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i)));
        }
    }

    [Fact]
    public void Write_DestinationTooShort_ThrowsNamingDestination()
    {
        var ex = Assert.Throws<ArgumentException>(() => EmbeddingVectorSerializer.Write([1f, 2f], new byte[7]));
        Assert.Equal("destination", ex.ParamName);
    }

    [Fact]
    public void Deserialize_LengthNotMultipleOfFour_ThrowsNamingSource()
    {
        var ex = Assert.Throws<ArgumentException>(() => EmbeddingVectorSerializer.Deserialize(new byte[6]));
        Assert.Equal("source", ex.ParamName);
    }

    [Fact]
    public async Task GenerateAsync_SecondGeneratorOnSameCache_HitsWithoutProviderCall()
    {
        var cache = NewCache();
        var first = new CountingGenerator();
        var second = new CountingGenerator();
        using var a = new SharedCachingEmbeddingGenerator(first, cache);
        using var b = new SharedCachingEmbeddingGenerator(second, cache);

        var created = await a.GenerateAsync(["alpha", "beta"]);
        var reused = await b.GenerateAsync(["beta", "alpha", "gamma"]);

        Assert.Equal(2, first.Inputs);
        Assert.Equal(1, second.Inputs); // only gamma
        Assert.Equal(created[1].Vector.ToArray(), reused[0].Vector.ToArray());
        Assert.Equal(created[0].Vector.ToArray(), reused[1].Vector.ToArray());
        Assert.Equal("fake-model", reused[0].ModelId);
    }

    [Fact]
    public async Task GenerateAsync_StoredValue_IsRawFloat32UnderModelDimensionsInputTypeKey()
    {
        var cache = NewCache();
        using var generator = new SharedCachingEmbeddingGenerator(new CountingGenerator(), cache);
        var options = new EmbeddingGenerationOptions { AdditionalProperties = new() { [EmbeddingPropertyNames.InputType] = "query" } };

        var embedding = (await generator.GenerateAsync(["alpha"], options))[0];

        var key = SharedCachingEmbeddingGenerator.CreateKey("alpha", "fake-model", 4, "query");
        Assert.StartsWith("cosmos:embedding:fake-model:4:query:", key, StringComparison.Ordinal);
        Assert.Equal(EmbeddingVectorSerializer.Serialize(embedding.Vector.Span), await cache.GetAsync(key));
    }

    [Fact]
    public async Task GenerateAsync_OtherModelDimensionsOrInputType_Miss()
    {
        var cache = NewCache();
        var inner = new CountingGenerator();
        using var generator = new SharedCachingEmbeddingGenerator(inner, cache);
        await generator.GenerateAsync(["alpha"]);

        await generator.GenerateAsync(["alpha"], new EmbeddingGenerationOptions { ModelId = "other" });
        await generator.GenerateAsync(["alpha"], new EmbeddingGenerationOptions { AdditionalProperties = new() { [EmbeddingPropertyNames.InputType] = "document" } });

        Assert.Equal(3, inner.Inputs);
        Assert.NotEqual(SharedCachingEmbeddingGenerator.CreateKey("a", "m", 4, null), SharedCachingEmbeddingGenerator.CreateKey("a", "m", 8, null));
    }

    [Fact]
    public async Task GenerateAsync_CacheFails_ProviderAnswersWithoutException()
    {
        var inner = new CountingGenerator();
        using var generator = new SharedCachingEmbeddingGenerator(inner, new FailingCache());

        var result = await generator.GenerateAsync(["alpha", "beta"]);

        Assert.Equal(2, result.Count);
        Assert.Equal(2, inner.Inputs);
    }

    [Fact]
    public async Task GenerateAsync_NullInput_ThrowsNamingIndex()
    {
        using var generator = new SharedCachingEmbeddingGenerator(new CountingGenerator(), NewCache());

        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => generator.GenerateAsync(["a", null!]));
        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
    }

    private static MemoryDistributedCache NewCache() => new(Options.Create(new MemoryDistributedCacheOptions()));

    /// <summary>A deterministic 4-dimension generator that counts the inputs it was asked for.</summary>
    internal sealed class CountingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        private int _inputs;

        public int Inputs => _inputs;

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Interlocked.Add(ref _inputs, list.Count);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(list.Select(v => new Embedding<float>(new[] { v.Length, v[0], v.GetHashCode(StringComparison.Ordinal) % 97, 1f }) { ModelId = options?.ModelId ?? "fake-model" })));
        }

        public object? GetService(Type serviceType, object? serviceKey = null)
            => serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("fake", null, "fake-model", 4) : null;

        public void Dispose()
        {
        }
    }

    private sealed class FailingCache : IDistributedCache
    {
        public byte[]? Get(string key) => throw new InvalidOperationException("down");

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromException<byte[]?>(new TimeoutException("down"));

        public void Refresh(string key) => throw new InvalidOperationException("down");

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.FromException(new TimeoutException("down"));

        public void Remove(string key) => throw new InvalidOperationException("down");

        public Task RemoveAsync(string key, CancellationToken token = default) => Task.FromException(new TimeoutException("down"));

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new InvalidOperationException("down");

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => Task.FromException(new TimeoutException("down"));
    }
}
