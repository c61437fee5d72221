using System.Numerics.Tensors;
using Cosmos.Embeddings.Onnx.Tests.Model;
using Cosmos.Embeddings.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings.Onnx.Tests;

/// <summary>The ONNX model as an entry of the fallback chain, and one model space shared with a hosted server of the same model.</summary>
public sealed class OnnxEmbeddingProviderOptionsTests
{
    // Nothing listens on the discard port: every call to this "hosted" provider fails at once with a refused connection.
    private static readonly Uri Unreachable = new("http://127.0.0.1:9/");

    [Fact]
    public async Task AddCosmosEmbeddings_TeiOfTheSameModelSpaceFails_TheLocalModelAnswersUnderTheFailPolicy()
    {
        await using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o =>
            {
                o.CacheEnabled = false;
                o.LocalFallback = false;
                o.Providers.Add(new HuggingFaceTeiEmbeddingProviderOptions { Endpoint = Unreachable, ModelId = MiniLmModelFiles.ModelId, Timeout = TimeSpan.FromSeconds(5) });
                o.Providers.Add(new OllamaEmbeddingProviderOptions { Endpoint = Unreachable, ModelId = "all-minilm", ModelSpace = MiniLmModelFiles.ModelId, Timeout = TimeSpan.FromSeconds(5) });
                o.Providers.Add(new OnnxEmbeddingProviderOptions
                {
                    ModelSpace = MiniLmModelFiles.ModelId,
                    Model = { ModelDirectory = MiniLmModelFiles.Directory, MaxSequenceLength = MiniLmModelFiles.MaxSequenceLength },
                });
            })
            .BuildServiceProvider();
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        Assert.Equal(ModelMixingPolicy.Fail, services.GetRequiredService<IOptions<CosmosEmbeddingsOptions>>().Value.Fallback.ModelMixing);

        var result = await generator.GenerateAsync(["the breaker opens after repeated failures"]);

        var embedding = Assert.Single(result);
        Assert.Equal("onnx", embedding.AdditionalProperties![EmbeddingPropertyNames.Provider]);
        Assert.Equal(true, embedding.AdditionalProperties[EmbeddingPropertyNames.IsFallback]);
        Assert.Equal(MiniLmModelFiles.ModelId + "/384", embedding.AdditionalProperties[EmbeddingPropertyNames.ModelSpace]);

        // The vector is the model's own, not a stand-in.
        using var direct = MiniLmFixture.CreateGenerator();
        var expected = await direct.GenerateAsync(["the breaker opens after repeated failures"]);
        Assert.True(TensorPrimitives.CosineSimilarity(expected[0].Vector.Span, embedding.Vector.Span) > 0.99999f);
    }

    [Fact]
    public async Task AddCosmosEmbeddings_LocalModelOfAnotherSpace_IsNotMixedIn()
    {
        await using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o =>
            {
                o.CacheEnabled = false;
                o.LocalFallback = false;
                o.Providers.Add(new HuggingFaceTeiEmbeddingProviderOptions { Endpoint = Unreachable, ModelId = "BAAI/bge-small-en-v1.5", Timeout = TimeSpan.FromSeconds(5) });
                o.Providers.Add(new OnnxEmbeddingProviderOptions { Model = { ModelDirectory = MiniLmModelFiles.Directory, ModelId = MiniLmModelFiles.ModelId } });
            })
            .BuildServiceProvider();
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var ex = await Assert.ThrowsAsync<EmbeddingBatchException>(() => generator.GenerateAsync(["query"]));

        var mismatch = Assert.IsType<EmbeddingModelMismatchException>(ex.InnerException?.InnerException ?? ex.InnerException);
        Assert.Contains("onnx (sentence-transformers/all-MiniLM-L6-v2/384)", mismatch.RejectedModelSpaces);
    }

    [Fact]
    public void AddCosmosEmbeddings_MissingModelFolder_FailsAtStartNamingTheOption()
    {
        using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o => o.Providers.Add(new OnnxEmbeddingProviderOptions { Model = { ModelDirectory = "/nonexistent/model" } }))
            .BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CosmosEmbeddingsOptions>>().Value);

        Assert.Contains("Providers[0].Model.ModelDirectory", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingEachSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { InferenceBatchSize = 0, MaxSequenceLength = 2 }));

        Assert.Equal("options", ex.ParamName);
        Assert.Contains(nameof(OnnxEmbeddingOptions.ModelDirectory), ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(OnnxEmbeddingOptions.InferenceBatchSize), ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(OnnxEmbeddingOptions.MaxSequenceLength), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MissingVocabulary_ThrowsNamingTheFile()
    {
        var folder = Directory.CreateTempSubdirectory("cosmos-onnx-");
        try
        {
            File.CreateSymbolicLink(Path.Combine(folder.FullName, "model.onnx"), Path.Combine(MiniLmModelFiles.Directory, "model.onnx"));

            var ex = Assert.Throws<ArgumentException>(() => new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { ModelDirectory = folder.FullName }));

            Assert.Contains("VocabularyFileName", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Constructor_SentenceTransformersConfigFiles_AreReadWhenOptionsLeaveSettingsUnset()
    {
        var folder = Directory.CreateTempSubdirectory("cosmos-onnx-");
        try
        {
            File.CreateSymbolicLink(Path.Combine(folder.FullName, "model.onnx"), Path.Combine(MiniLmModelFiles.Directory, "model.onnx"));
            File.CreateSymbolicLink(Path.Combine(folder.FullName, "vocab.txt"), Path.Combine(MiniLmModelFiles.Directory, "vocab.txt"));
            File.WriteAllText(Path.Combine(folder.FullName, "sentence_bert_config.json"), """{ "max_seq_length": 64, "do_lower_case": false }""");
            File.WriteAllText(Path.Combine(folder.FullName, "modules.json"), """[ { "idx": 0, "type": "sentence_transformers.models.Transformer" }, { "idx": 1, "type": "sentence_transformers.models.Pooling" } ]""");
            Directory.CreateDirectory(Path.Combine(folder.FullName, "1_Pooling"));
            File.WriteAllText(Path.Combine(folder.FullName, "1_Pooling", "config.json"), """{ "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false }""");

            using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { ModelDirectory = folder.FullName });
            using var overridden = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { ModelDirectory = folder.FullName, MaxSequenceLength = 32, Pooling = OnnxPoolingMode.Mean, Normalize = true });

            Assert.Equal(64, generator.MaxSequenceLength);
            Assert.Equal(OnnxPoolingMode.Cls, generator.Pooling);
            Assert.False(generator.Normalize);
            Assert.Equal(folder.Name, generator.ModelId);
            var vector = (await generator.GenerateAsync(["not normalised"]))[0].Vector;
            Assert.NotEqual(1f, TensorPrimitives.Norm(vector.Span), 2);

            Assert.Equal(32, overridden.MaxSequenceLength);
            Assert.Equal(OnnxPoolingMode.Mean, overridden.Pooling);
            Assert.True(overridden.Normalize);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
