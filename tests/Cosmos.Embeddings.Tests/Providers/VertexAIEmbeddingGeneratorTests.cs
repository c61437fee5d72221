using Cosmos.Embeddings.Providers;
using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Tests.Providers;

public sealed class VertexAIEmbeddingGeneratorTests
{
    [Fact]
    public async Task GenerateAsync_Options_SendsPredictWithInstancesAndParameters()
    {
        float[][] vectors = [[0.1f, 0.2f], [0.3f, 0.4f]];
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, ProviderCase.VertexBody(vectors)));
        var options = new VertexAIEmbeddingProviderOptions { Endpoint = server.BaseAddress, ApiKey = "ya29.token", ProjectId = "my-proj", Location = "europe-west4", Dimensions = 2, AutoTruncate = false };
        using var generator = new VertexAIEmbeddingGenerator(new HttpClient(), options);

        var result = await generator.GenerateAsync(["a", "b"], new EmbeddingGenerationOptions
        {
            AdditionalProperties = new() { [EmbeddingPropertyNames.InputType] = "RETRIEVAL_QUERY" },
        });

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/projects/my-proj/locations/europe-west4/publishers/google/models/text-embedding-005:predict", request.Path);
        Assert.Equal("Bearer ya29.token", request.Header("Authorization"));
        var instances = request.Body.GetProperty("instances").EnumerateArray().ToArray();
        Assert.Equal(["a", "b"], instances.Select(i => i.GetProperty("content").GetString()));
        Assert.All(instances, i => Assert.Equal("RETRIEVAL_QUERY", i.GetProperty("task_type").GetString()));
        Assert.Equal(2, request.Body.GetProperty("parameters").GetProperty("outputDimensionality").GetInt32());
        Assert.False(request.Body.GetProperty("parameters").GetProperty("autoTruncate").GetBoolean());
        Assert.Equal(vectors, result.Select(e => e.Vector.ToArray()));
        Assert.Equal(8, result.Usage!.InputTokenCount);
    }

    [Fact]
    public void GetService_DefaultEndpoint_FollowsLocation()
    {
        using var generator = new VertexAIEmbeddingGenerator(new HttpClient(), new VertexAIEmbeddingProviderOptions { ApiKey = "t", ProjectId = "p", Location = "asia-northeast3" });

        Assert.Equal(new Uri("https://asia-northeast3-aiplatform.googleapis.com/"), generator.GetService<EmbeddingGeneratorMetadata>()!.ProviderUri);
    }

    [Fact]
    public void Constructor_MissingProjectAndBadLocation_ThrowsNamingBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => new VertexAIEmbeddingGenerator(new HttpClient(), new VertexAIEmbeddingProviderOptions { ApiKey = "t", Location = "evil.example/x" }));

        Assert.Contains("ProjectId", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Location", ex.Message, StringComparison.Ordinal);
    }
}
