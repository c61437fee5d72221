using Cosmos.Embeddings.Providers;
using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Tests.Providers;

public sealed class VoyageAIEmbeddingGeneratorTests
{
    [Fact]
    public async Task GenerateAsync_Options_SendsVoyageWireFormat()
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, ProviderCase.VoyageBody([[0.5f, 0.5f]])));
        var options = new VoyageAIEmbeddingProviderOptions { Endpoint = server.BaseAddress, ApiKey = "pa-secret", InputType = "document", Dimensions = 2 };
        using var generator = new VoyageAIEmbeddingGenerator(new HttpClient(), options);

        var result = await generator.GenerateAsync(["text"], new EmbeddingGenerationOptions
        {
            AdditionalProperties = new() { [EmbeddingPropertyNames.InputType] = "query" },
        });

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/embeddings", request.Path);
        Assert.Equal("Bearer pa-secret", request.Header("Authorization"));
        Assert.Equal(["text"], request.Body.GetProperty("input").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("voyage-3.5", request.Body.GetProperty("model").GetString());
        Assert.Equal("query", request.Body.GetProperty("input_type").GetString());
        Assert.Equal(2, request.Body.GetProperty("output_dimension").GetInt32());
        Assert.Equal("voyage-3.5", result[0].ModelId);
        Assert.Equal(10, result.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task GenerateAsync_NoInputType_OmitsIt()
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, ProviderCase.VoyageBody([[1f]])));
        using var generator = new VoyageAIEmbeddingGenerator(new HttpClient(), new VoyageAIEmbeddingProviderOptions { Endpoint = server.BaseAddress, ApiKey = "k" });

        await generator.GenerateAsync(["text"]);

        var body = Assert.Single(server.Requests).Body;
        Assert.False(body.TryGetProperty("input_type", out _));
        Assert.False(body.TryGetProperty("output_dimension", out _));
    }
}
