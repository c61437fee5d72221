using BenchmarkDotNet.Attributes;
using Cosmos.Core.Layers;
using Cosmos.Isolation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Polly;

namespace Cosmos.Benchmarks.Cluster;

/// <summary>A guarded call on a healthy node with the cluster view off (the engine alone) vs on (a live Redis cluster view,
/// heartbeats running): the call path reads only local memory, so the two should be within 5 %.</summary>
[MemoryDiagnoser]
public class ClusterGuardedCallBenchmarks
{
    private BenchmarkRedis _redis = null!;
    private ServiceProvider _local = null!;
    private ServiceProvider _clustered = null!;
    private ResiliencePipeline _localPipeline = null!;
    private ResiliencePipeline _clusteredPipeline = null!;

    [GlobalSetup]
    public void Setup()
    {
        _redis = new BenchmarkRedis();
        _local = Build(null);
        _clustered = Build(_redis.Configuration);
        foreach (var hosted in _clustered.GetServices<IHostedService>())
        {
            hosted.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        _localPipeline = _local.GetRequiredService<IIsolationEngine>().GetPipeline("repo");
        _clusteredPipeline = _clustered.GetRequiredService<IIsolationEngine>().GetPipeline("repo");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var hosted in _clustered.GetServices<IHostedService>())
        {
            hosted.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        _clustered.Dispose();
        _local.Dispose();
        _redis.Dispose();
    }

    [Benchmark(Baseline = true)]
    public ValueTask<int> ClusterViewOff() => _localPipeline.ExecuteAsync(static (state, _) => ValueTask.FromResult(state), 42, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> ClusterViewOn() => _clusteredPipeline.ExecuteAsync(static (state, _) => ValueTask.FromResult(state), 42, CancellationToken.None);

    private static ServiceProvider Build(string? redis)
    {
        var services = new ServiceCollection().AddCosmosIsolation(o =>
        {
            o.AddNode("db", CosmicLayer.Ecosystem);
            o.AddNode("repo", CosmicLayer.Compound, "db");
        });
        if (redis is not null)
        {
            services.AddCosmosIsolationRedis(o =>
            {
                o.Configuration = redis;
                o.ClusterName = $"bench-{Guid.NewGuid():N}";
            });
        }

        return services.BuildServiceProvider();
    }
}
