using Cosmos.Core.Caching;
using Cosmos.Core.Execution;
using Cosmos.Core.Memory;
using Cosmos.TestUtils;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cosmos.Core.Tests;

public class InfrastructureRegistrationTests
{
    [Fact]
    public async Task AddCosmosCore_RegistersPoolCacheAndExecutorWithOptions()
    {
        var services = new ServiceCollection().AddMetrics();
        services.AddCosmosCore(o =>
        {
            o.MemoryPool.ChunkCount = 7;
            o.Executor.MaxDegreeOfParallelism = 2;
            o.Cache.Node.SizeLimit = 1000;
        });
        services.AddSingleton<INodeIsolationGate>(new Gate("blocked"));
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        var pool = provider.GetRequiredService<ChunkPool>();
        Assert.Same(pool, provider.GetRequiredService<ChunkPool>());
        Assert.Equal(7, pool.ChunkCount);
        Assert.Equal(2, provider.GetRequiredService<ParallelNodeExecutor>().MaxDegreeOfParallelism);
        var cache = provider.GetRequiredService<TieredCache>();
        Assert.False(cache.Set(CacheTier.Node, "k", new byte[1001]));

        var report = await provider.GetRequiredService<ParallelNodeExecutor>().ExecuteAsync(["ok", "blocked"], (_, _) => ValueTask.CompletedTask);
        Assert.Equal(1, report.Isolated);
    }

    [Fact]
    public async Task AddCosmosCore_UsesInjectedTimeProvider()
    {
        var time = new FakeTimeProvider();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time).AddCosmosCore();
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<TieredCache>();
        cache.Set(CacheTier.Node, "k", 1, 1);
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.False(cache.TryGetValue<int>(CacheTier.Node, "k", out _));
    }

    [Theory]
    [InlineData("CosmosCoreOptions.MemoryPool.ChunkSize")]
    [InlineData("CosmosCoreOptions.MemoryPool.TrimMemoryLoadThreshold")]
    [InlineData("CosmosCoreOptions.Cache.Subtree.TimeToLive")]
    [InlineData("CosmosCoreOptions.Cache.System.SizeLimit")]
    [InlineData("CosmosCoreOptions.Executor.MaxDegreeOfParallelism")]
    [InlineData("CosmosCoreOptions.Propagation.HopDecay")]
    [InlineData("CosmosCoreOptions.Propagation.MaxHops")]
    public async Task AddCosmosCore_BadOption_FailsAtStartNamingIt(string option)
    {
        var services = new ServiceCollection().AddCosmosCore(o =>
        {
            switch (option)
            {
                case "CosmosCoreOptions.MemoryPool.ChunkSize": o.MemoryPool.ChunkSize = 0; break;
                case "CosmosCoreOptions.MemoryPool.TrimMemoryLoadThreshold": o.MemoryPool.TrimMemoryLoadThreshold = double.NaN; break;
                case "CosmosCoreOptions.Cache.Subtree.TimeToLive": o.Cache.Subtree.TimeToLive = TimeSpan.FromSeconds(-1); break;
                case "CosmosCoreOptions.Cache.System.SizeLimit": o.Cache.System.SizeLimit = 0; break;
                case "CosmosCoreOptions.Executor.MaxDegreeOfParallelism": o.Executor.MaxDegreeOfParallelism = 0; break;
                case "CosmosCoreOptions.Propagation.HopDecay": o.Propagation.HopDecay = 1.01; break;
                default: o.Propagation.MaxHops = -1; break;
            }
        });
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CosmosCoreOptions>>().Value);
        Assert.Contains(option, ex.Message, StringComparison.Ordinal);
        var startup = provider.GetRequiredService<IStartupValidator>();
        Assert.Throws<OptionsValidationException>(startup.Validate);
    }

    private sealed class Gate(string isolated) : INodeIsolationGate
    {
        public bool IsIsolated(string nodeId) => nodeId == isolated;
    }
}
