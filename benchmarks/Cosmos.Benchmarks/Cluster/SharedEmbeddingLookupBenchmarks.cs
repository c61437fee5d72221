using Cosmos.Embeddings.Caching;
using System.Net.Http.Json;
using BenchmarkDotNet.Attributes;
using Cosmos.Embeddings;
using Cosmos.TestUtils;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;

namespace Cosmos.Benchmarks.Cluster;

/// <summary>One embedding (384 floats) from the shared Redis tier (a hit: one GET of 1,536 raw bytes) vs a provider round trip
/// to a loopback fake provider (HTTP + JSON, answering at once). Baseline: the provider round trip, the cost the tier saves.</summary>
[MemoryDiagnoser]
public class SharedEmbeddingLookupBenchmarks
{
    private static readonly float[] Vector = [.. Enumerable.Range(0, 384).Select(i => MathF.Sin(i))];
    private BenchmarkRedis _redis = null!;
    private LoopbackServer _server = null!;
    private HttpClient _http = null!;
    private RedisCache _cache = null!;
    private LoopbackProvider _provider = null!;
    private SharedCachingEmbeddingGenerator _shared = null!;
    private readonly string[] _input = ["the database is down"];

    [GlobalSetup]
    public void Setup()
    {
        _redis = new BenchmarkRedis();
        _server = LoopbackServer.StartAsync(static context => context.Response.WriteAsJsonAsync(Vector)).GetAwaiter().GetResult();
        _http = new HttpClient { BaseAddress = _server.BaseAddress };
        _provider = new LoopbackProvider(_http);
        _cache = new RedisCache(Options.Create(new RedisCacheOptions { Configuration = _redis.Configuration, InstanceName = "bench:" }));
        _shared = new SharedCachingEmbeddingGenerator(_provider, _cache);
        _shared.GenerateAsync(_input).GetAwaiter().GetResult(); // stores the entry: every measured lookup is a hit
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _shared.Dispose();
        _cache.Dispose();
        _http.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _redis.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Provider round trip (loopback HTTP)")]
    public Task<GeneratedEmbeddings<Embedding<float>>> ProviderRoundTrip() => _provider.GenerateAsync(_input);

    [Benchmark(Description = "Shared tier hit (Redis)")]
    public Task<GeneratedEmbeddings<Embedding<float>>> SharedTierHit() => _shared.GenerateAsync(_input);

    /// <summary>A provider that POSTs the texts to a loopback server and reads a JSON float array back.</summary>
    private sealed class LoopbackProvider(HttpClient http) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            using var response = await http.PostAsJsonAsync("embed", values, cancellationToken);
            var vector = await response.Content.ReadFromJsonAsync<float[]>(cancellationToken);
            return [new Embedding<float>(vector!) { ModelId = "loopback" }];
        }

        public object? GetService(Type serviceType, object? serviceKey = null)
            => serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("loopback", null, "loopback", 384) : null;

        public void Dispose()
        {
        }
    }
}
