using Cosmos.Embeddings.Providers;
using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Tests.Providers;

public sealed class OllamaEmbeddingGeneratorTests
{
    [Fact]
    public async Task GenerateAsync_Defaults_SendsModelAndInputAndReadsEmbeddings()
    {
        float[][] vectors = [[0.25f, 0.5f, 0.75f]];
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, ProviderCase.OllamaBody(vectors)));
        using var generator = new OllamaEmbeddingGenerator(new HttpClient(), new OllamaEmbeddingProviderOptions { Endpoint = server.BaseAddress, KeepAlive = "5m" });

        var result = await generator.GenerateAsync(["why is the sky blue?"]);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/embed", request.Path);
        Assert.Null(request.Header("Authorization"));
        Assert.Equal("nomic-embed-text", request.Body.GetProperty("model").GetString());
        Assert.Equal(["why is the sky blue?"], request.Body.GetProperty("input").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("5m", request.Body.GetProperty("keep_alive").GetString());
        Assert.False(request.Body.TryGetProperty("truncate", out _));
        Assert.Equal(vectors, result.Select(e => e.Vector.ToArray()));
        Assert.Equal("nomic-embed-text", result[0].ModelId);
        Assert.Equal(8, result.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task GenerateAsync_PerCallModel_IsSentAndRecorded()
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, ProviderCase.OllamaBody([[1f]])));
        using var generator = new OllamaEmbeddingGenerator(new HttpClient(), new OllamaEmbeddingProviderOptions { Endpoint = server.BaseAddress });

        var result = await generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { ModelId = "all-minilm" });

        Assert.Equal("all-minilm", Assert.Single(server.Requests).Body.GetProperty("model").GetString());
        Assert.Equal("all-minilm", result[0].ModelId);
    }

    [Fact]
    public void GetService_DefaultEndpoint_IsLocalOllama()
    {
        using var generator = new OllamaEmbeddingGenerator(new HttpClient(), new OllamaEmbeddingProviderOptions());

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;

        Assert.Equal("ollama", metadata.ProviderName);
        Assert.Equal(new Uri("http://localhost:11434/"), metadata.ProviderUri);
        Assert.Equal("nomic-embed-text", metadata.DefaultModelId);
    }
}
