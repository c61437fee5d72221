using BenchmarkDotNet.Attributes;
using Cosmos.Core.Layers;
using Cosmos.Isolation;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace Cosmos.Benchmarks.Isolation;

/// <summary>A call to an isolated node routed to its live alternate vs the same guarded call made on the alternate directly.
/// The difference is the failover routing overhead (goal: ≤ 50 ns).</summary>
[MemoryDiagnoser]
public class FailoverBenchmarks
{
    private ServiceProvider _provider = null!;
    private ResiliencePipeline _primary = null!;
    private ResiliencePipeline _replica = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = new ServiceCollection()
            .AddCosmosIsolation(o =>
            {
                o.AddNode("replica-1", CosmicLayer.Ecosystem);
                o.AddNode("replica-2", CosmicLayer.Ecosystem);
                o.AddNode("db", CosmicLayer.Ecosystem).WithAlternates("replica-1", "replica-2");
            })
            .BuildServiceProvider();
        var engine = _provider.GetRequiredService<IIsolationEngine>();
        engine.IsolateAsync("db").GetAwaiter().GetResult();
        _primary = engine.GetPipeline("db");
        _replica = engine.GetPipeline("replica-1");
    }

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    [Benchmark(Baseline = true)]
    public ValueTask<int> GuardedCallOnAlternate() => _replica.ExecuteAsync(static (state, _) => ValueTask.FromResult(state), 42, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> FailoverCall() => _primary.ExecuteAsync(static (state, _) => ValueTask.FromResult(state), 42, CancellationToken.None);
}
