using BenchmarkDotNet.Attributes;
using Cosmos.Core.Layers;
using Cosmos.Isolation;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Benchmarks.Isolation;

/// <summary><c>IsIsolated(nodeId)</c> (frozen id → index map, volatile flag) vs a plain dictionary lookup of a flag.</summary>
[MemoryDiagnoser]
public class IsIsolatedBenchmarks
{
    private readonly Dictionary<string, bool> _flags = new(StringComparer.Ordinal);
    private ServiceProvider _provider = null!;
    private IIsolationEngine _engine = null!;
    private string _id = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = new ServiceCollection()
            .AddCosmosIsolation(o =>
            {
                for (var i = 0; i < 64; i++)
                {
                    o.AddNode($"service-{i}", CosmicLayer.Compound);
                    _flags[$"service-{i}"] = false;
                }
            })
            .BuildServiceProvider();
        _engine = _provider.GetRequiredService<IIsolationEngine>();

        // A separate string instance, as a host would pass one from a request.
        _id = string.Concat("service-", "42");
    }

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    [Benchmark(Baseline = true)]
    public bool DictionaryLookup() => _flags.TryGetValue(_id, out var isolated) && isolated;

    [Benchmark]
    public bool IsIsolated() => _engine.IsIsolated(_id);
}
