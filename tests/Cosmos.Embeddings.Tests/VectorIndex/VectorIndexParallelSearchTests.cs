using Cosmos.Embeddings.Indexing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cosmos.Embeddings.Tests.VectorIndex;

/// <summary>Searches that split a large index over several threads.</summary>
public sealed class VectorIndexParallelSearchTests : IClassFixture<VectorIndexParallelSearchTests.LargeIndexes>
{
    private readonly LargeIndexes _indexes;

    public VectorIndexParallelSearchTests(LargeIndexes indexes) => _indexes = indexes;

    [Property(Arbitrary = [typeof(Queries)], MaxTest = 40, Replay = "(20261130,1601)")]
    public void Search_SplitOverThreads_ReturnsExactlyTheSingleThreadedResults(Query query)
    {
        foreach (var (parallel, sequential) in new[] { (_indexes.FloatParallel, _indexes.FloatSequential), (_indexes.Int8Parallel, _indexes.Int8Sequential) })
        {
            var expected = sequential.Search(query.Vector, query.K);
            var actual = parallel.Search(query.Vector, query.K);

            Assert.Equal(expected.Select(r => (r.Id, r.Score)), actual.Select(r => (r.Id, r.Score)));
        }
    }

    [Fact]
    public void Search_ConcurrentSplitSearches_EachGetsItsOwnResults()
    {
        float[][] queries = VectorTestData.Gaussian(16, LargeIndexes.Dimensions, seed: 7);
        var expected = queries.Select(q => _indexes.FloatSequential.Search(q, 5).Select(r => r.Id).ToArray()).ToArray();

        var actual = new string[queries.Length][];
        Parallel.For(0, queries.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            actual[i] = _indexes.FloatParallel.Search(queries[i], 5).Select(r => r.Id).ToArray());

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(VectorQuantization.None)]
    [InlineData(VectorQuantization.Int8)]
    public void Search_BelowTheSplitSizeIntoASpan_AllocatesNothing(VectorQuantization quantization)
    {
        using var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", 16, new VectorIndexOptions { Quantization = quantization, RescoreStorage = VectorRescoreStorage.Memory });
        float[][] rows = VectorTestData.Gaussian(2_000, 16, seed: 5);
        for (int i = 0; i < rows.Length; i++)
        {
            index.Add("r" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), rows[i]);
        }

        var results = new VectorSearchResult[10];
        for (int i = 0; i < 50; i++)
        {
            // Warm: first calls may allocate while the runtime loads and compiles the search path.
            index.Search(rows[i], results);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            index.Search(rows[i], results);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1025)]
    public void Constructor_MaxDegreeOfParallelismOutOfRange_ThrowsNamingIt(int threads)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Cosmos.Embeddings.Indexing.VectorIndex("m", 4, new VectorIndexOptions { MaxDegreeOfParallelism = threads }));
        Assert.Equal(nameof(VectorIndexOptions.MaxDegreeOfParallelism), ex.ParamName);
    }

    [Fact]
    public void Search_Int8On100kBy384_RecallAt10AtLeast99Percent()
    {
        // The size and width of a real sentence-embedding corpus, with isotropic vectors: the hard case for int8 ranking.
        const int Rows = 100_000;
        const int Dimensions = 384;
        const int QueryCount = 40;
        using var exact = new Cosmos.Embeddings.Indexing.VectorIndex("m", Dimensions, new VectorIndexOptions { InitialCapacity = Rows });
        using var int8 = new Cosmos.Embeddings.Indexing.VectorIndex("m", Dimensions, new VectorIndexOptions { InitialCapacity = Rows, Quantization = VectorQuantization.Int8 });
        var random = new Random(384);
        float[] row = new float[Dimensions];
        for (int r = 0; r < Rows; r++)
        {
            for (int j = 0; j < Dimensions; j++)
            {
                row[j] = (random.NextSingle() * 2f) - 1f;
            }

            string id = r.ToString(System.Globalization.CultureInfo.InvariantCulture);
            exact.Add(id, row);
            int8.Add(id, row);
        }

        int found = 0;
        foreach (float[] query in VectorTestData.Gaussian(QueryCount, Dimensions, seed: 385))
        {
            var truth = exact.Search(query, 10).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            found += int8.Search(query, 10).Count(r => truth.Contains(r.Id));
        }

        double recall = found / (QueryCount * 10.0);
        Assert.True(recall >= 0.99, $"recall@10 = {recall}");
    }

    public sealed record Query(float[] Vector, int K);

    public static class Queries
    {
        public static Arbitrary<Query> Query() =>
            (from seed in Gen.Choose(0, 100_000)
             from k in Gen.Choose(1, 60)
             select new Query(VectorTestData.Gaussian(1, LargeIndexes.Dimensions, seed)[0], k)).ToArbitrary();
    }

    /// <summary>Indexes large enough to split (3 × 32,768 rows and more), each built once for the class.</summary>
    public sealed class LargeIndexes : IDisposable
    {
        public const int Dimensions = 24;
        private const int Rows = 100_003;

        public LargeIndexes()
        {
            FloatParallel = Create(VectorQuantization.None, 4);
            FloatSequential = Create(VectorQuantization.None, 1);
            Int8Parallel = Create(VectorQuantization.Int8, 4);
            Int8Sequential = Create(VectorQuantization.Int8, 1);
            float[][] rows = VectorTestData.Gaussian(Rows, Dimensions, seed: 2411);
            for (int i = 0; i < Rows; i++)
            {
                // A few exact duplicates put equal scores on both sides of a split; ties must still break by id.
                float[] vector = i % 997 == 0 ? rows[0] : rows[i];
                string id = "r" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                FloatParallel.Add(id, vector);
                FloatSequential.Add(id, vector);
                Int8Parallel.Add(id, vector);
                Int8Sequential.Add(id, vector);
            }
        }

        public Cosmos.Embeddings.Indexing.VectorIndex FloatParallel { get; }

        public Cosmos.Embeddings.Indexing.VectorIndex FloatSequential { get; }

        public Cosmos.Embeddings.Indexing.VectorIndex Int8Parallel { get; }

        public Cosmos.Embeddings.Indexing.VectorIndex Int8Sequential { get; }

        public void Dispose()
        {
            FloatParallel.Dispose();
            FloatSequential.Dispose();
            Int8Parallel.Dispose();
            Int8Sequential.Dispose();
        }

        private static Cosmos.Embeddings.Indexing.VectorIndex Create(VectorQuantization quantization, int threads) =>
            new("m", Dimensions, new VectorIndexOptions
            {
                Quantization = quantization,
                RescoreStorage = VectorRescoreStorage.Memory,
                MaxDegreeOfParallelism = threads,
                InitialCapacity = Rows,
            });
    }
}
