using System.Text;
using BenchmarkDotNet.Attributes;
using Cosmos.Embeddings;
using Cosmos.Embeddings.Batching;
using Cosmos.Embeddings.Caching;
using Cosmos.Embeddings.Fallback;
using Cosmos.Embeddings.Indexing;
using Cosmos.Embeddings.Local;

namespace Cosmos.Benchmarks.Embeddings;

/// <summary>
/// Throughput of the offline local provider on short texts (5-14 words). Times are per text
/// (<c>OperationsPerInvoke</c>), so texts per second = 10⁹ / Mean(ns). The baseline is the same algorithm
/// written the obvious way: <c>string.Split</c>, substrings and a <c>Dictionary</c> of features.
/// </summary>
[MemoryDiagnoser]
public class LocalEmbeddingBenchmarks
{
    private const int Texts = 1_000;
    private const int Dimensions = 384;
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    private readonly LocalEmbeddingGenerator _generator = new();
    private readonly float[] _destination = new float[Dimensions];
    private string[] _texts = null!;

    [GlobalSetup]
    public void Setup()
    {
        string[] vocabulary =
        [
            "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "account", "password", "reset", "invoice",
            "shipping", "delayed", "refund", "customer", "support", "ticket", "error", "server", "timeout", "database",
            "connection", "failed", "please", "help", "order", "number", "missing", "payment", "card", "declined",
        ];
        var random = new Random(7);
        _texts = new string[Texts];
        for (int i = 0; i < Texts; i++)
        {
            int words = random.Next(5, 15);
            var builder = new StringBuilder();
            for (int w = 0; w < words; w++)
            {
                builder.Append(w == 0 ? "" : " ").Append(vocabulary[random.Next(vocabulary.Length)]);
            }

            _texts[i] = builder.Append('.').ToString();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Texts)]
    public float NaiveSplitAndDictionary()
    {
        float sum = 0f;
        foreach (string text in _texts)
        {
            sum += NaiveEmbed(text)[0];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Texts)]
    public float LocalEmbedIntoSpan()
    {
        float sum = 0f;
        foreach (string text in _texts)
        {
            _generator.Embed(text, _destination);
            sum += _destination[0];
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Texts)]
    public int LocalGenerateAsyncBatch() => _generator.GenerateAsync(_texts).GetAwaiter().GetResult().Count;

    private static float[] NaiveEmbed(string text)
    {
        string[] words = text.ToLowerInvariant().Split([' ', '.', ',', '!', '?'], StringSplitOptions.RemoveEmptyEntries);
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < words.Length; i++)
        {
            Count(counts, "w:" + words[i]);
            if (i > 0)
            {
                Count(counts, "b:" + words[i - 1] + " " + words[i]);
            }

            string padded = " " + words[i] + " ";
            for (int n = 3; n <= 5; n++)
            {
                for (int s = 0; s + n <= padded.Length; s++)
                {
#pragma warning disable CA1845 // The baseline is the obvious substring code on purpose.
                    Count(counts, "c:" + padded.Substring(s, n));
#pragma warning restore CA1845
                }
            }
        }

        var vector = new float[Dimensions];
        foreach (var (feature, tf) in counts)
        {
            ulong h = FnvOffset;
            foreach (char c in feature)
            {
                h = (h ^ c) * FnvPrime;
            }

            float value = (feature[0] == 'c' ? 0.5f : 1f) * (1f + MathF.Log(tf));
            vector[(int)(h % Dimensions)] += (h & (1UL << 40)) != 0 ? -value : value;
        }

        float norm = MathF.Sqrt(vector.Sum(v => v * v));
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    private static void Count(Dictionary<string, int> counts, string feature)
        => counts[feature] = counts.GetValueOrDefault(feature) + 1;
}
