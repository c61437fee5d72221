using Cosmos.Embeddings.Providers;
using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Tests.Providers;

public sealed class CohereEmbeddingGeneratorTests
{
    private const string Key = "co-key-0a9b8c7d";

    [Fact]
    public async Task GenerateAsync_Defaults_SendsCohereV2WireFormatAndReadsFloatEmbeddings()
    {
        float[][] vectors = [[0.1f, 0.2f], [0.3f, 0.4f]];
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, ProviderCase.CohereBody(vectors)));
        using var generator = new CohereEmbeddingGenerator(new HttpClient(), new CohereEmbeddingProviderOptions { Endpoint = server.BaseAddress, ApiKey = Key });

        var result = await generator.GenerateAsync(["doc one", "doc two"]);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v2/embed", request.Path);
        Assert.Equal("Bearer " + Key, request.Header("Authorization"));
        Assert.Equal(["doc one", "doc two"], request.Body.GetProperty("texts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("embed-v4.0", request.Body.GetProperty("model").GetString());
        Assert.Equal("search_document", request.Body.GetProperty("input_type").GetString());
        Assert.Equal(["float"], request.Body.GetProperty("embedding_types").EnumerateArray().Select(e => e.GetString()));
        Assert.False(request.Body.TryGetProperty("output_dimension", out _));
        Assert.Equal(vectors, result.Select(e => e.Vector.ToArray()));
        Assert.All(result, e => Assert.Equal("embed-v4.0", e.ModelId));
        Assert.Equal(5, result.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task GenerateAsync_InputTypeInAdditionalProperties_OverridesConfiguredInputType()
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, ProviderCase.CohereBody([[1f, 2f]])));
        var options = new CohereEmbeddingProviderOptions { Endpoint = server.BaseAddress, ApiKey = Key, InputType = "classification", Dimensions = 2 };
        using var generator = new CohereEmbeddingGenerator(new HttpClient(), options);

        await generator.GenerateAsync(["what is cosmos?"], new EmbeddingGenerationOptions
        {
            AdditionalProperties = new() { [EmbeddingPropertyNames.InputType] = "search_query" },
        });
        await generator.GenerateAsync(["label me"]);

        var requests = server.Requests;
        Assert.Equal("search_query", requests[0].Body.GetProperty("input_type").GetString());
        Assert.Equal("classification", requests[1].Body.GetProperty("input_type").GetString());
        Assert.Equal(2, requests[0].Body.GetProperty("output_dimension").GetInt32());
    }

    [Fact]
    public async Task GenerateAsync_97Texts_ThrowsArgumentExceptionBeforeSending()
    {
        using var generator = new CohereEmbeddingGenerator(new HttpClient(), new CohereEmbeddingProviderOptions { Endpoint = new Uri("http://127.0.0.1:9/"), ApiKey = Key });

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(Enumerable.Repeat("t", 97)));

        Assert.Contains("96", ex.Message, StringComparison.Ordinal);
        Assert.Equal(96, generator.GetService<EmbeddingProviderLimits>()!.MaxInputsPerRequest);
    }

    [Fact]
    public void Constructor_EmptyInputTypeAndNoKey_ThrowsNamingBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CohereEmbeddingGenerator(new HttpClient(), new CohereEmbeddingProviderOptions { InputType = " " }));

        Assert.Contains("InputType", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ApiKey", ex.Message, StringComparison.Ordinal);
    }
}
