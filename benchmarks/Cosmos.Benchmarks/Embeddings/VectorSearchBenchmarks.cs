using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Cosmos.Embeddings;
using Cosmos.Embeddings.Batching;
using Cosmos.Embeddings.Caching;
using Cosmos.Embeddings.Fallback;
using Cosmos.Embeddings.Indexing;
using Cosmos.Embeddings.Local;

namespace Cosmos.Benchmarks.Embeddings;

/// <summary>
/// Top-10 cosine search over <see cref="Rows"/> × 384 normalised vectors. The baseline is one
/// <c>TensorPrimitives.Sum</c> pass over the same float slab: the memory-bandwidth bound of any exact float scan.
/// The int8 index holds only its codes in memory and rescores from a float copy in a temporary file; setup prints each
/// index's managed memory.
/// </summary>
[MemoryDiagnoser]
public class VectorSearchBenchmarks
{
    private const int Dimensions = 384;
    private const int K = 10;

    private VectorIndex _floatIndex = null!;
    private VectorIndex _int8Index = null!;
    private float[] _query = null!;
    private readonly VectorSearchResult[] _results = new VectorSearchResult[K];

    /// <summary>Gets or sets the number of stored vectors (1M × 384 floats is 1.5 GB).</summary>
    [Params(100_000, 1_000_000)]
    public int Rows { get; set; }

    /// <summary>Gets or sets the threads one search may scan with (<see cref="VectorIndexOptions.MaxDegreeOfParallelism"/>);
    /// 2 is every processor of the machine the recorded figures come from.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup(Targets = [nameof(TensorPrimitivesSumBandwidthBound), nameof(ScalarLoopTop10), nameof(FloatIndexTop10)])]
    public void SetupFloat() => _floatIndex = Build(VectorQuantization.None);

    [GlobalSetup(Target = nameof(Int8IndexTop10))]
    public void SetupInt8()
    {
        _int8Index = Build(VectorQuantization.Int8);

        // recall@10 of the int8 index (with its rescoring) against the exact float index, over queries of the same distribution.
        using var exact = BuildRows(VectorQuantization.None);
        var random = new Random(7);
        const int Queries = 20;
        int found = 0;
        float[] query = new float[Dimensions];
        for (int q = 0; q < Queries; q++)
        {
            for (int j = 0; j < Dimensions; j++)
            {
                query[j] = (random.NextSingle() * 2f) - 1f;
            }

            var truth = exact.Search(query, K).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            found += _int8Index.Search(query, K).Count(r => truth.Contains(r.Id));
        }

        Console.WriteLine($"// recall@10 of the int8 index against the float index over {Queries} queries: {found / (Queries * (double)K):F3}");
        GC.Collect();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _floatIndex?.Dispose();
        _int8Index?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float TensorPrimitivesSumBandwidthBound() => TensorPrimitives.Sum(_floatIndex.FloatStorage);

    [Benchmark]
    public float ScalarLoopTop10()
    {
        // What a hand-written loop does: one scalar dot per row and an insertion-sorted top-10.
        ReadOnlySpan<float> slab = _floatIndex.FloatStorage;
        Span<float> best = stackalloc float[K];
        Span<int> bestRows = stackalloc int[K];
        best.Fill(float.NegativeInfinity);
        int rows = slab.Length / Dimensions;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = slab.Slice(r * Dimensions, Dimensions);
            float dot = 0f;
            for (int j = 0; j < Dimensions; j++)
            {
                dot += row[j] * _query[j];
            }

            if (dot > best[K - 1])
            {
                int i = K - 1;
                while (i > 0 && best[i - 1] < dot)
                {
                    best[i] = best[i - 1];
                    bestRows[i] = bestRows[i - 1];
                    i--;
                }

                best[i] = dot;
                bestRows[i] = r;
            }
        }

        return best[0];
    }

    [Benchmark]
    public float FloatIndexTop10()
    {
        _floatIndex.Search(_query, _results);
        return _results[0].Score;
    }

    [Benchmark]
    public float Int8IndexTop10()
    {
        _int8Index.Search(_query, _results);
        return _results[0].Score;
    }

    private VectorIndex Build(VectorQuantization quantization)
    {
        // Managed memory the index holds once built (int8 keeps its float copy in a temporary file, outside the heap).
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var index = BuildRows(quantization);
        long held = GC.GetTotalMemory(forceFullCollection: true) - before;
        Console.WriteLine($"// memory: {quantization} index of {Rows:N0} x {Dimensions}: {held / (1024.0 * 1024.0):F1} MB managed");
        return index;
    }

    private VectorIndex BuildRows(VectorQuantization quantization)
    {
        var index = new VectorIndex("bench-model", Dimensions, new VectorIndexOptions { Quantization = quantization, InitialCapacity = Rows, MaxDegreeOfParallelism = Threads });
        var random = new Random(42);
        float[] row = new float[Dimensions];
        for (int r = 0; r < Rows; r++)
        {
            for (int j = 0; j < Dimensions; j++)
            {
                row[j] = (random.NextSingle() * 2f) - 1f;
            }

            index.Add(r.ToString(System.Globalization.CultureInfo.InvariantCulture), row);
        }

        _query = new float[Dimensions];
        for (int j = 0; j < Dimensions; j++)
        {
            _query[j] = (random.NextSingle() * 2f) - 1f;
        }

        TensorPrimitives.Divide(_query, TensorPrimitives.Norm(_query), _query);
        return index;
    }
}
