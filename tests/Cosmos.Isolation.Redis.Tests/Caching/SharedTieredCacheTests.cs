using Cosmos.Core.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Cosmos.Isolation.Redis.Tests.Caching;

public sealed class SharedTieredCacheTests
{
    [Fact]
    public async Task GetOrCreateAsync_LocalHit_SharedLevelNotAsked()
    {
        var shared = new CountingHybridCache();
        using var local = new TieredCache();
        var cache = new SharedTieredCache(local, shared);
        local.Set(CacheTier.Node, "k", "local value");

        var value = await cache.GetOrCreateAsync(CacheTier.Node, "k", 0, (_, _) => ValueTask.FromResult("created"));

        Assert.Equal("local value", value);
        Assert.Equal(0, shared.Calls);
    }

    [Fact]
    public async Task GetOrCreateAsync_UndefinedTierOrEmptyKey_ThrowsNamingArgument()
    {
        using var local = new TieredCache();
        var cache = new SharedTieredCache(local, new CountingHybridCache());

        var tier = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await cache.GetOrCreateAsync((CacheTier)9, "k", 0, (_, _) => ValueTask.FromResult(1)));
        var key = await Assert.ThrowsAsync<ArgumentException>(async () => await cache.GetOrCreateAsync(CacheTier.Node, "", 0, (_, _) => ValueTask.FromResult(1)));

        Assert.Equal("tier", tier.ParamName);
        Assert.Equal("key", key.ParamName);
    }

    [Fact]
    public async Task SetAsync_OnRedis_SharedEntryExpiresWithTheTierTimeToLive()
    {
        using var server = new RedisServer();
        var services = new ServiceCollection();
        services.AddStackExchangeRedisCache(o =>
        {
            o.Configuration = server.Configuration;
            o.InstanceName = "ttl:";
        });
        services.AddHybridCache();
        services.AddCosmosSharedCache();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<SharedTieredCache>().SetAsync(CacheTier.Subtree, "k", 42);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync("ttl:cosmos:subtree:k");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
    }

    /// <summary>A HybridCache that stores nothing and counts the calls that reach it.</summary>
    private sealed class CountingHybridCache : HybridCache
    {
        public int Calls { get; private set; }

        public override ValueTask<T> GetOrCreateAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            return factory(state, cancellationToken);
        }

        public override ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            return ValueTask.CompletedTask;
        }

        public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
        {
            Calls++;
            return ValueTask.CompletedTask;
        }

        public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
