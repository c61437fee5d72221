using System.Text.Json;
using Cosmos.Embeddings.Providers;
using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Tests.Providers;

public sealed class HuggingFaceTeiEmbeddingGeneratorTests
{
    [Fact]
    public async Task GenerateAsync_Defaults_SendsInputsWithNormalizeAndReadsArrayOfArrays()
    {
        float[][] vectors = [[0.6f, 0.8f], [1f, 0f]];
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, JsonSerializer.Serialize(vectors)));
        var options = new HuggingFaceTeiEmbeddingProviderOptions { Endpoint = server.BaseAddress, ModelId = "BAAI/bge-small-en-v1.5" };
        using var generator = new HuggingFaceTeiEmbeddingGenerator(new HttpClient(), options);

        var result = await generator.GenerateAsync(["a", "b"]);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/embed", request.Path);
        Assert.Null(request.Header("Authorization"));
        Assert.Equal(["a", "b"], request.Body.GetProperty("inputs").EnumerateArray().Select(e => e.GetString()));
        Assert.True(request.Body.GetProperty("normalize").GetBoolean());
        Assert.False(request.Body.GetProperty("truncate").GetBoolean());
        Assert.Equal(vectors, result.Select(e => e.Vector.ToArray()));
        Assert.All(result, e => Assert.Equal("BAAI/bge-small-en-v1.5", e.ModelId));
        Assert.Null(result.Usage);
    }

    [Fact]
    public async Task GenerateAsync_KeyAndOptions_SendsBearerNormalizeFalseAndTruncate()
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, "[[3.0, 4.0]]"));
        var options = new HuggingFaceTeiEmbeddingProviderOptions { Endpoint = server.BaseAddress, ModelId = "m", ApiKey = "hf_secret", Normalize = false, Truncate = true };
        using var generator = new HuggingFaceTeiEmbeddingGenerator(new HttpClient(), options);

        await generator.GenerateAsync(["a"]);

        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer hf_secret", request.Header("Authorization"));
        Assert.False(request.Body.GetProperty("normalize").GetBoolean());
        Assert.True(request.Body.GetProperty("truncate").GetBoolean());
    }

    [Fact]
    public async Task GenerateAsync_OtherModelPerCall_ThrowsArgumentException()
    {
        using var generator = new HuggingFaceTeiEmbeddingGenerator(new HttpClient(), new HuggingFaceTeiEmbeddingProviderOptions { Endpoint = new Uri("http://127.0.0.1:9/"), ModelId = "m" });

        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["a"], new EmbeddingGenerationOptions { ModelId = "other" }));
    }

    [Fact]
    public async Task GenerateAsync_33Inputs_ExceedsDefaultBatchOf32()
    {
        using var generator = new HuggingFaceTeiEmbeddingGenerator(new HttpClient(), new HuggingFaceTeiEmbeddingProviderOptions { Endpoint = new Uri("http://127.0.0.1:9/"), ModelId = "m" });

        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(Enumerable.Repeat("t", 33)));
        Assert.Equal(32, generator.GetService<EmbeddingProviderLimits>()!.MaxInputsPerRequest);
    }

    [Fact]
    public void Constructor_NoEndpointNoModel_ThrowsNamingBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => new HuggingFaceTeiEmbeddingGenerator(new HttpClient(), new HuggingFaceTeiEmbeddingProviderOptions()));

        Assert.Contains("Endpoint", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ModelId", ex.Message, StringComparison.Ordinal);
    }
}
