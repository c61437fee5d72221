using Cosmos.Embeddings.Caching;
using Cosmos.Core.Caching;
using Cosmos.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Isolation.Redis.Tests.Caching;

/// <summary>The shared cache tier on a real Redis-protocol server: each "instance" is its own container and Redis connection.</summary>
[Collection(ClusterProcessesDefinition.Name)]
public sealed class SharedCacheTierTests
{
    private static ServiceProvider Instance(RedisServer server, string prefix)
    {
        var services = new ServiceCollection();
        services.AddStackExchangeRedisCache(o =>
        {
            o.Configuration = server.Configuration;
            o.InstanceName = prefix;
        });
        services.AddHybridCache();
        services.AddCosmosSharedCache();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task GetOrCreateAsync_WrittenByOneInstance_HitOnAnother()
    {
        using var server = new RedisServer();
        var prefix = $"{Guid.NewGuid():N}:";
        await using var first = Instance(server, prefix);
        await using var second = Instance(server, prefix);
        var created = 0;

        var a = await first.GetRequiredService<SharedTieredCache>().GetOrCreateAsync(CacheTier.Subtree, "report:42", 0, (_, _) => { created++; return ValueTask.FromResult(new Report("42", 0.25)); });
        var b = await second.GetRequiredService<SharedTieredCache>().GetOrCreateAsync(CacheTier.Subtree, "report:42", 0, (_, _) => { created++; return ValueTask.FromResult(new Report("other", 1)); });

        Assert.Equal(1, created);
        Assert.Equal(a, b);
        // The value is now in the second instance's local tier too: served without Redis.
        Assert.True(second.GetRequiredService<SharedTieredCache>().Local.TryGetValue<Report>(CacheTier.Subtree, "report:42", out var local));
        Assert.Equal(a, local);
    }

    [Fact]
    public async Task RemoveAsync_OnOneInstance_NextInstanceMisses()
    {
        using var server = new RedisServer();
        var prefix = $"{Guid.NewGuid():N}:";
        await using var first = Instance(server, prefix);
        await using var second = Instance(server, prefix);
        var cache = first.GetRequiredService<SharedTieredCache>();
        await cache.SetAsync(CacheTier.Node, "n", new Report("n", 0.5));
        await cache.RemoveAsync(CacheTier.Node, "n");
        var created = 0;

        await second.GetRequiredService<SharedTieredCache>().GetOrCreateAsync(CacheTier.Node, "n", 0, (_, _) => { created++; return ValueTask.FromResult(new Report("n", 0.75)); });

        Assert.Equal(1, created);
    }

    [Fact]
    public async Task Embeddings_WrittenByOneInstance_HitOnAnotherAndAfterRestart()
    {
        using var server = new RedisServer();
        var prefix = $"{Guid.NewGuid():N}:";
        var provider = new CountingGenerator();

        await using (var first = Instance(server, prefix))
        {
            using var generator = new SharedCachingEmbeddingGenerator(provider, first.GetRequiredService<IDistributedCache>());
            await generator.GenerateAsync(["the database is down", "cache warm"]);
        }

        Assert.Equal(2, provider.Inputs);

        // A second instance, and later the first one restarted: both reuse the stored vectors.
        for (var restart = 0; restart < 2; restart++)
        {
            await using var next = Instance(server, prefix);
            using var generator = new SharedCachingEmbeddingGenerator(provider, next.GetRequiredService<IDistributedCache>());
            var result = await generator.GenerateAsync(["cache warm", "the database is down"]);
            Assert.Equal(CountingGenerator.VectorOf("cache warm"), result[0].Vector.ToArray());
            Assert.Equal(CountingGenerator.VectorOf("the database is down"), result[1].Vector.ToArray());
        }

        Assert.Equal(2, provider.Inputs);
    }

    [Fact]
    public async Task Embeddings_RedisDown_ProviderAnswers()
    {
        using var server = new RedisServer();
        await using var instance = Instance(server, $"{Guid.NewGuid():N}:");
        var provider = new CountingGenerator();
        using var generator = new SharedCachingEmbeddingGenerator(provider, instance.GetRequiredService<IDistributedCache>());
        server.Stop();

        var result = await generator.GenerateAsync(["still answered"]);

        Assert.Equal(CountingGenerator.VectorOf("still answered"), result[0].Vector.ToArray());
    }

    public sealed record Report(string Id, double Impact);

    internal sealed class CountingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        private int _inputs;

        public int Inputs => _inputs;

        public static float[] VectorOf(string text) => [text.Length, text[0], text[^1], 1f];

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Interlocked.Add(ref _inputs, list.Count);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(list.Select(v => new Embedding<float>(VectorOf(v)) { ModelId = "fake-model" })));
        }

        public object? GetService(Type serviceType, object? serviceKey = null)
            => serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("fake", null, "fake-model", 4) : null;

        public void Dispose()
        {
        }
    }
}
