using BenchmarkDotNet.Attributes;
using Cosmos.Core.Layers;
using Cosmos.Isolation;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Benchmarks.Isolation;

/// <summary>A guarded call on a healthy node (gate + breaker + outcome observer) vs Polly's own circuit-breaker pipeline vs a direct call.</summary>
[MemoryDiagnoser]
public class GuardedCallBenchmarks
{
    private ServiceProvider _provider = null!;
    private ResiliencePipeline _guarded = null!;
    private ResiliencePipeline _polly = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = new ServiceCollection()
            .AddCosmosIsolation(o =>
            {
                o.AddNode("db", CosmicLayer.Ecosystem);
                o.AddNode("repo", CosmicLayer.Compound, "db");
            })
            .BuildServiceProvider();
        _guarded = _provider.GetRequiredService<IIsolationEngine>().GetPipeline("repo");
        _polly = new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions()).Build();
    }

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    [Benchmark(Baseline = true)]
    public ValueTask<int> PollyCircuitBreaker() => _polly.ExecuteAsync(static (state, _) => ValueTask.FromResult(state), 42, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> GuardedCall() => _guarded.ExecuteAsync(static (state, _) => ValueTask.FromResult(state), 42, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> DirectCall() => Direct(42);

    private static ValueTask<int> Direct(int state) => ValueTask.FromResult(state);
}
