using Cosmos.Embeddings;
using Cosmos.Embeddings.Batching;
using Cosmos.Embeddings.Caching;
using Cosmos.Embeddings.Fallback;
using Cosmos.Embeddings.Indexing;
using Cosmos.Embeddings.Onnx;
using Cosmos.Embeddings.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Samples.Quickstart;

/// <summary>The Cosmos.Embeddings section of the quickstart.</summary>
internal static class EmbeddingsDemo
{
    private static readonly string[] Corpus =
    [
        "The circuit breaker opens after repeated failures and skips the provider.",
        "Batches are split so no request exceeds the provider's input limit.",
        "Cached embeddings make a re-run cost zero provider calls.",
        "The vector index keeps normalised vectors contiguously for SIMD search.",
        "Audit logs are chained with hashes so tampering is detected.",
        "A fallback chain asks the next provider when the first one fails.",
        "Velocity propagates through the seven layers of the model.",
        "Int8 quantised storage rescored exactly keeps recall high.",
    ];

    // Paraphrases of corpus lines that share almost no words with them: a semantic model finds them, a keyword match would not.
    private static readonly string[] Queries = ["what happens when a provider keeps failing", "fast similarity search over vectors", "can someone secretly edit the history?"];

    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var modelFolder = MiniLmModelFolder.Ensure();
        await SemanticSearchWithTheOnnxModelAsync(output, modelFolder, cancellationToken);
        await FallBackToTheSameModelRunLocallyAsync(output, modelFolder, cancellationToken);
        await FallBackFromAnUnreachablePrimaryAsync(output, cancellationToken);
    }

    private static async Task SemanticSearchWithTheOnnxModelAsync(TextWriter output, string modelFolder, CancellationToken cancellationToken)
    {
        // all-MiniLM-L6-v2 run in process on ONNX Runtime: offline, no server, the same vectors sentence-transformers gives.
        await using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o =>
            {
                o.Batching.MaxBatchSize = 3;
                o.LocalFallback = false;
                o.Providers.Add(new OnnxEmbeddingProviderOptions
                {
                    Model = { ModelDirectory = modelFolder, ModelId = MiniLmModelFolder.ModelId, MaxSequenceLength = 256 },
                });
            })
            .BuildServiceProvider();
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var progress = new SynchronousProgress(p => output.WriteLine($"  progress: {p.Completed}/{p.Total} embedded, {p.Failed} failed"));
        var embeddings = await generator.GenerateWithProgressAsync(Corpus, progress, cancellationToken: cancellationToken);

        using var index = services.GetRequiredService<VectorIndexFactory>().Create(generator);
        for (var i = 0; i < Corpus.Length; i++)
        {
            index.Add($"doc{i}", embeddings[i], new Dictionary<string, string> { ["text"] = Corpus[i] });
        }

        output.WriteLine($"  indexed {index.Count} documents, model {index.ModelId} ({index.Dimensions} dims), answered by '{embeddings[0].AdditionalProperties![EmbeddingPropertyNames.Provider]}'");
        foreach (var query in Queries)
        {
            var vector = await generator.GenerateAsync(query, cancellationToken: cancellationToken);
            output.WriteLine($"  top-3 for \"{query}\":");
            foreach (var hit in index.Search(vector, 3))
            {
                output.WriteLine($"    {hit.Score:F3}  {hit.Metadata["text"]}");
            }
        }

        // A re-run is answered from the cache: the very same embedding objects come back.
        var cache = generator.GetService<CachingEmbeddingGenerator>()!;
        var cachedBefore = cache.Count;
        var again = await generator.GenerateAsync(Corpus, cancellationToken: cancellationToken);
        var same = again.Select(e => e.Vector).SequenceEqual(embeddings.Select(e => e.Vector));
        output.WriteLine($"  re-embedding the corpus: {(same ? "same vector objects" : "new vectors")} from the cache, {cachedBefore} -> {cache.Count} entries");
    }

    private static async Task FallBackToTheSameModelRunLocallyAsync(TextWriter output, string modelFolder, CancellationToken cancellationToken)
    {
        // A TEI server hosting all-MiniLM-L6-v2 (unreachable here: nothing listens on port 9) with the same model run locally behind it.
        // Both declare one model space, so under the default ModelMixing = Fail the local model is a genuine fallback.
        await using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o =>
            {
                o.LocalFallback = false;
                o.Providers.Add(new HuggingFaceTeiEmbeddingProviderOptions { Name = "tei", Endpoint = new Uri("http://127.0.0.1:9/"), ModelId = MiniLmModelFolder.ModelId, Timeout = TimeSpan.FromSeconds(2) });
                o.Providers.Add(new OnnxEmbeddingProviderOptions
                {
                    ModelSpace = MiniLmModelFolder.ModelId,
                    Model = { ModelDirectory = modelFolder, MaxSequenceLength = 256 },
                });
            })
            .BuildServiceProvider();
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var embedding = await generator.GenerateAsync(Queries[0], cancellationToken: cancellationToken);
        output.WriteLine(
            $"  tei -> onnx, policy {ModelMixingPolicy.Fail}: answered by '{embedding.AdditionalProperties![EmbeddingPropertyNames.Provider]}' "
            + $"in model space {embedding.AdditionalProperties[EmbeddingPropertyNames.ModelSpace]}");
    }

    private static async Task FallBackFromAnUnreachablePrimaryAsync(TextWriter output, CancellationToken cancellationToken)
    {
        // A hosted primary that refuses connections at once (nothing listens on port 9), the local provider behind it.
        // Its vectors are of another model, so they are accepted only because the policy says to tag them.
        await using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o =>
            {
                o.Providers.Add(new OpenAIEmbeddingProviderOptions
                {
                    Name = "primary-openai",
                    Endpoint = new Uri("http://127.0.0.1:9/"),
                    ApiKey = "demo-key-never-printed",
                    Timeout = TimeSpan.FromSeconds(2),
                });
                o.Fallback.ModelMixing = ModelMixingPolicy.Tag;
                o.Fallback.CircuitBreakerMinimumThroughput = 2;
            })
            .BuildServiceProvider();
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var chain = generator.GetService<FallbackEmbeddingGenerator>()!;

        output.WriteLine($"  fallback chain: {string.Join(" -> ", chain.Providers.Select(p => p.Name))}");
        foreach (var query in Queries.Append("one more query"))
        {
            var embedding = await generator.GenerateAsync(query, cancellationToken: cancellationToken);
            output.WriteLine(
                $"  \"{query}\" answered by '{embedding.AdditionalProperties![EmbeddingPropertyNames.Provider]}' "
                + $"(model {embedding.ModelId}); primary breaker {chain.GetCircuitState("primary-openai")}");
        }

        // The same chain with the default policy refuses to mix models rather than answer from another vector space.
        await using var strict = new ServiceCollection()
            .AddCosmosEmbeddings(o => o.Providers.Add(new OpenAIEmbeddingProviderOptions { Endpoint = new Uri("http://127.0.0.1:9/"), ApiKey = "demo-key-never-printed" }))
            .BuildServiceProvider();
        try
        {
            await strict.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(Queries, cancellationToken: cancellationToken);
        }
        catch (EmbeddingBatchException ex) when (ex.InnerException?.InnerException is EmbeddingModelMismatchException mismatch)
        {
            output.WriteLine($"  with ModelMixing = Fail (the default): inputs {string.Join(", ", ex.FailedInputIndices)} failed: {mismatch.GetType().Name}, expected {mismatch.ExpectedModelSpace}");
        }
    }

    /// <summary>Reports on the caller's thread; <see cref="Progress{T}"/> would post reports after the demo moved on.</summary>
    private sealed class SynchronousProgress(Action<EmbeddingBatchProgress> report) : IProgress<EmbeddingBatchProgress>
    {
        public void Report(EmbeddingBatchProgress value) => report(value);
    }
}
