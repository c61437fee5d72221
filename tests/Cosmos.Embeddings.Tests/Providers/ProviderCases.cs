using System.Text.Json;
using Cosmos.Embeddings.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Tests.Providers;

/// <summary>How to build one hosted provider against a test server and how that provider's server answers.</summary>
internal sealed record ProviderCase(
    string Name,
    string Path,
    Func<HttpEmbeddingProviderOptions> NewOptions,
    Func<float[][], string> SuccessBody)
{
    public const string Key = "key-7d3f9a1e-do-not-leak";

    public static readonly IReadOnlyDictionary<string, ProviderCase> All = new Dictionary<string, ProviderCase>
    {
        ["openai"] = new("openai", "/v1/embeddings", () => new OpenAIEmbeddingProviderOptions(), v => OpenAIEmbeddingGeneratorTests.FloatBody(v)),
        ["azure"] = new("azure", "/openai/deployments/emb/embeddings", () => new OpenAIEmbeddingProviderOptions { Deployment = "emb" }, v => OpenAIEmbeddingGeneratorTests.FloatBody(v)),
        ["cohere"] = new("cohere", "/v2/embed", () => new CohereEmbeddingProviderOptions(), CohereBody),
        ["tei"] = new("tei", "/embed", () => new HuggingFaceTeiEmbeddingProviderOptions { ModelId = "BAAI/bge-small-en-v1.5" }, v => JsonSerializer.Serialize(v)),
        ["ollama"] = new("ollama", "/api/embed", () => new OllamaEmbeddingProviderOptions(), OllamaBody),
        ["voyage"] = new("voyage", "/v1/embeddings", () => new VoyageAIEmbeddingProviderOptions(), VoyageBody),
        ["vertex"] = new("vertex", "/v1/projects/proj-1/locations/us-central1/publishers/google/models/text-embedding-005:predict", () => new VertexAIEmbeddingProviderOptions { ProjectId = "proj-1" }, VertexBody),
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in All.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    public static string CohereBody(float[][] vectors) =>
        JsonSerializer.Serialize(new
        {
            id = "5807ee2e",
            embeddings = new Dictionary<string, float[][]> { ["float"] = vectors },
            texts = vectors.Select((_, i) => $"t{i}"),
            meta = new { api_version = new { version = "2" }, billed_units = new { input_tokens = 5 } },
            response_type = "embeddings_by_type",
        });

    public static string OllamaBody(float[][] vectors) =>
        JsonSerializer.Serialize(new { model = "nomic-embed-text", embeddings = vectors, total_duration = 14143917, load_duration = 1019500, prompt_eval_count = 8 });

    public static string VoyageBody(float[][] vectors) =>
        JsonSerializer.Serialize(new
        {
            @object = "list",
            data = vectors.Select((v, i) => new { @object = "embedding", embedding = v, index = i }),
            model = "voyage-3.5",
            usage = new { total_tokens = 10 },
        });

    public static string VertexBody(float[][] vectors) =>
        JsonSerializer.Serialize(new
        {
            predictions = vectors.Select(v => new { embeddings = new { values = v, statistics = new { token_count = 4, truncated = false } } }),
            metadata = new { billableCharacterCount = 12 },
        });

    public IEmbeddingGenerator<string, Embedding<float>> Create(
        Uri endpoint,
        Action<HttpEmbeddingProviderOptions>? configure = null,
        TimeProvider? time = null,
        ILoggerFactory? loggers = null,
        HttpClient? client = null)
    {
        var options = NewOptions();
        options.Endpoint = endpoint;
        options.ApiKey = Key;
        configure?.Invoke(options);
        return EmbeddingProviderFactory.Create(options, client ?? new HttpClient(), time, loggers);
    }
}

/// <summary>A logger factory whose loggers all write into one list.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory
{
    public ListLogger<object> Logger { get; } = new();

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => Logger;

    public void Dispose()
    {
    }
}
