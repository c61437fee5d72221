using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cosmos.Embeddings.Tests.VectorIndex;

public sealed class VectorIndexSearchTests
{
    private const double Tolerance = 1e-5;

    private static (Cosmos.Embeddings.Indexing.VectorIndex Index, List<(string Id, float[] Vector)> Entries) Build(int count, int dimensions, int seed, VectorIndexOptions? options = null)
    {
        var index = new Cosmos.Embeddings.Indexing.VectorIndex("test-model", dimensions, options);
        var entries = new List<(string, float[])>();
        float[][] rows = VectorTestData.Gaussian(count, dimensions, seed);
        for (int i = 0; i < count; i++)
        {
            string id = "doc-" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            index.Add(id, rows[i], new Dictionary<string, string> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            entries.Add((id, rows[i]));
        }

        return (index, entries);
    }

    /// <summary>
    /// Scores may differ from the double-precision oracle by rounding, so ids must match the oracle except where
    /// two oracle scores are closer than the tolerance (then either order is a correct answer).
    /// </summary>
    private static bool MatchesOracle(IReadOnlyList<VectorSearchResult> actual, (string Id, double Score)[] expected, (string Id, double Score)[] expectedPlusOne)
    {
        if (actual.Count != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < actual.Count; i++)
        {
            if (Math.Abs(actual[i].Score - expected[i].Score) > Tolerance)
            {
                return false;
            }

            if (actual[i].Id != expected[i].Id)
            {
                bool ambiguous = expectedPlusOne.Any(e => e.Id == actual[i].Id && Math.Abs(e.Score - expected[i].Score) <= 2 * Tolerance);
                if (!ambiguous)
                {
                    return false;
                }
            }

            if (i > 0 && actual[i].Score > actual[i - 1].Score)
            {
                return false;
            }
        }

        return actual.Select(a => a.Id).Distinct().Count() == actual.Count;
    }

    [Property(MaxTest = 100, Replay = "(7,11)", Arbitrary = [typeof(SearchArbitraries)])]
    public bool Search_RandomSizesDimensionsAndK_EqualsBruteForceOracle(SearchCase c)
    {
        var (index, entries) = Build(c.n, c.d, c.seed);
        using (index)
        {
            float[] query = VectorTestData.Gaussian(1, c.d, c.seed + 1)[0];
            var actual = index.Search(query, c.k);
            return MatchesOracle(actual, VectorTestData.BruteForce(entries, query, c.k), VectorTestData.BruteForce(entries, query, c.k + 5));
        }
    }

    [Property(MaxTest = 60, Replay = "(13,17)", Arbitrary = [typeof(SearchArbitraries)])]
    public bool Search_Int8WhenCandidatesCoverIndex_EqualsBruteForceOracle(Int8Case c)
    {
        // With k · oversampling ≥ count every row is rescored exactly, so int8 must give the exact answer.
        int k = Math.Max(1, (c.n + 3) / 4);
        var (index, entries) = Build(c.n, c.d, c.seed, new VectorIndexOptions { Quantization = VectorQuantization.Int8, RescoreOversampling = 4 });
        using (index)
        {
            float[] query = VectorTestData.Gaussian(1, c.d, c.seed + 1)[0];
            return MatchesOracle(index.Search(query, k), VectorTestData.BruteForce(entries, query, k), VectorTestData.BruteForce(entries, query, k + 5));
        }
    }

    [Fact]
    public void Search_Int8On20kBy128_RecallAt10AtLeast99Percent()
    {
        const int Queries = 50;
        var (index, entries) = Build(20_000, 128, seed: 2026, new VectorIndexOptions { Quantization = VectorQuantization.Int8 });
        using (index)
        {
            float[][] queries = VectorTestData.Gaussian(Queries, 128, seed: 99);
            int found = 0;
            var scores = new double[entries.Count];
            foreach (float[] query in queries)
            {
                // Plain loops: the LINQ oracle is too slow for 20k rows x 50 queries within the test budget.
                for (int i = 0; i < entries.Count; i++)
                {
                    float[] v = entries[i].Vector;
                    double dot = 0, norm = 0;
                    for (int j = 0; j < v.Length; j++)
                    {
                        dot += (double)v[j] * query[j];
                        norm += (double)v[j] * v[j];
                    }

                    scores[i] = dot / Math.Sqrt(norm);
                }

                double tenth = scores.OrderDescending().ElementAt(9);
                var truth = Enumerable.Range(0, entries.Count).Where(i => scores[i] >= tenth).Select(i => entries[i].Id).ToHashSet();
                found += index.Search(query, 10).Count(r => truth.Contains(r.Id));
            }

            double recall = found / (Queries * 10.0);
            Assert.True(recall >= 0.99, $"recall@10 = {recall}");
        }
    }

    [Fact]
    public void Search_EqualScores_OrderedByOrdinalIdRegardlessOfInsertionOrder()
    {
        using var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", 3);
        foreach (string id in new[] { "c", "a", "B", "b" })
        {
            index.Add(id, [1f, 0f, 0f]);
        }

        index.Add("far", [0f, 1f, 0f]);
        Assert.Equal(["B", "a", "b"], index.Search([2f, 0f, 0f], 3).Select(r => r.Id));
        Assert.Equal(["B", "a", "b", "c", "far"], index.Search([2f, 0f, 0f], 10).Select(r => r.Id));
    }

    [Fact]
    public void Search_SpanDestination_WritesMinOfKAndCount()
    {
        var (index, _) = Build(5, 8, seed: 1);
        using (index)
        {
            var destination = new VectorSearchResult[10];
            int written = index.Search(VectorTestData.Gaussian(1, 8, 2)[0], destination);
            Assert.Equal(5, written);
            Assert.All(destination[..5], r => Assert.NotNull(r.Id));
            Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(new float[8], Span<VectorSearchResult>.Empty));
        }
    }

    [Fact]
    public void Search_ReturnsMetadataAndCosineScore()
    {
        using var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", 2);
        index.Add("x", [3f, 4f], new Dictionary<string, string> { ["title"] = "X" });
        index.Add("y", [0f, 1f]);
        var results = index.Search([1f, 0f], 2);
        Assert.Equal("x", results[0].Id);
        Assert.Equal(0.6f, results[0].Score, 6);
        Assert.Equal("X", results[0].Metadata["title"]);
        Assert.Empty(results[1].Metadata);
        Assert.Equal(0f, results[1].Score, 6);
    }

    [Fact]
    public void Search_EmptyIndex_ReturnsNothing()
    {
        using var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", 4);
        Assert.Empty(index.Search([1f, 0f, 0f, 0f], 5));
    }

    [Fact]
    public void Search_InvalidArguments_ThrowClearly()
    {
        using var index = new Cosmos.Embeddings.Indexing.VectorIndex("m", 4);
        index.Add("a", [1f, 0f, 0f, 0f]);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search([1f, 0f, 0f, 0f], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search([1f, 0f, 0f, 0f], -1));
        var wrongLength = Assert.Throws<ArgumentException>(() => index.Search([1f, 0f, 0f], 1));
        Assert.Contains("3 elements", wrongLength.Message, StringComparison.Ordinal);
        Assert.Contains("4 dimensions", wrongLength.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<ArgumentException>(() => index.Search([1f, 0f, float.NaN, 0f], 1));
        Assert.Contains("query[2]", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => index.Search([0f, 0f, 0f, 0f], 1));
    }

    public sealed record SearchCase(int n, int d, int k, int seed);

    public sealed record Int8Case(int n, int d, int seed);

    public static class SearchArbitraries
    {
        public static Arbitrary<SearchCase> Search() =>
            Gen.Choose(0, 300).SelectMany(n => Gen.Choose(1, 70).SelectMany(d => Gen.Choose(1, 25).SelectMany(k => Gen.Choose(0, 1_000_000).Select(seed => new SearchCase(n, d, k, seed))))).ToArbitrary();

        public static Arbitrary<Int8Case> QuantizedCases() =>
            Gen.Choose(1, 120).SelectMany(n => Gen.Choose(1, 70).SelectMany(d => Gen.Choose(0, 1_000_000).Select(seed => new Int8Case(n, d, seed)))).ToArbitrary();
    }
}
