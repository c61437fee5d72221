using BenchmarkDotNet.Attributes;
using Cosmos.Embeddings;
using Cosmos.Embeddings.Batching;
using Cosmos.Embeddings.Caching;
using Cosmos.Embeddings.Fallback;
using Cosmos.Embeddings.Indexing;
using Cosmos.Embeddings.Local;
using Microsoft.Extensions.AI;

namespace Cosmos.Benchmarks.Embeddings;

/// <summary>
/// What the pipeline adds on top of a healthy provider for one batch of 16 short texts: the fallback chain (circuit breaker,
/// model-space check, tagging), batching, and the cache on a miss and on a hit. The provider is an in-process fake that answers
/// from preallocated vectors, so the differences to the baseline are the pure overhead (goal: at most 2 µs per batch).
/// </summary>
[MemoryDiagnoser]
public class FallbackChainBenchmarks
{
    private const int BatchSize = 16;
    private readonly string[] _inputs = [.. Enumerable.Range(0, BatchSize).Select(i => $"short benchmark text number {i}")];
    private InstantGenerator _primary = null!;
    private FallbackEmbeddingGenerator _chain = null!;
    private BatchingEmbeddingGenerator _batching = null!;
    private CachingEmbeddingGenerator _cacheOverBatching = null!;
    private CachingEmbeddingGenerator _warmCache = null!;
    private EmbeddingGenerationOptions[] _missOptions = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _primary = new InstantGenerator(BatchSize);
        _chain = new FallbackEmbeddingGenerator([new("primary", _primary), new("secondary", new InstantGenerator(BatchSize))]);
        _batching = new BatchingEmbeddingGenerator(_chain);
        _cacheOverBatching = new CachingEmbeddingGenerator(
            new BatchingEmbeddingGenerator(new FallbackEmbeddingGenerator([new("primary", _primary)])),
            new EmbeddingCacheOptions { SizeLimit = 4096 });
        _warmCache = new CachingEmbeddingGenerator(new BatchingEmbeddingGenerator(new FallbackEmbeddingGenerator([new("primary", _primary)])));
        _warmCache.GenerateAsync(_inputs).GetAwaiter().GetResult();

        // A different input type per call makes every lookup a miss (the key includes it) while the fake ignores it.
        _missOptions = [.. Enumerable.Range(0, 1 << 16).Select(i => new EmbeddingGenerationOptions { AdditionalProperties = new() { [EmbeddingPropertyNames.InputType] = $"t{i}" } })];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _batching.Dispose();
        _cacheOverBatching.Dispose();
        _warmCache.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Primary called directly")]
    public Task<GeneratedEmbeddings<Embedding<float>>> PrimaryDirect() => _primary.GenerateAsync(_inputs);

    [Benchmark(Description = "Fallback chain (healthy primary)")]
    public Task<GeneratedEmbeddings<Embedding<float>>> FallbackChain() => _chain.GenerateAsync(_inputs);

    [Benchmark(Description = "Batching + fallback chain")]
    public Task<GeneratedEmbeddings<Embedding<float>>> BatchingAndChain() => _batching.GenerateAsync(_inputs);

    [Benchmark(Description = "Cache miss + batching + chain")]
    public Task<GeneratedEmbeddings<Embedding<float>>> FullPipelineCacheMiss() =>
        _cacheOverBatching.GenerateAsync(_inputs, _missOptions[_next++ & ((1 << 16) - 1)]);

    [Benchmark(Description = "Cache hit (no provider call)")]
    public Task<GeneratedEmbeddings<Embedding<float>>> FullPipelineCacheHit() => _warmCache.GenerateAsync(_inputs);

    /// <summary>A provider that answers at once with fresh embeddings over preallocated vectors, as a fast local model would.</summary>
    private sealed class InstantGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly float[][] _vectors;
        private readonly EmbeddingGeneratorMetadata _metadata = new("instant", null, "instant-model", 384);

        public InstantGenerator(int count)
        {
            _vectors = [.. Enumerable.Range(0, count).Select(i => Enumerable.Range(0, 384).Select(j => (float)((i * 31) + j)).ToArray())];
        }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var count = values is IReadOnlyCollection<string> collection ? collection.Count : values.Count();
            var result = new GeneratedEmbeddings<Embedding<float>>(count);
            for (var i = 0; i < count; i++)
            {
                result.Add(new Embedding<float>(_vectors[i % _vectors.Length]) { ModelId = "instant-model" });
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : null;

        public void Dispose()
        {
        }
    }
}
