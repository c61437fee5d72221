using Microsoft.Extensions.Time.Testing;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Cosmos.Embeddings.Providers;
using Cosmos.TestUtils;
using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Tests.Providers;

public sealed class OpenAIEmbeddingGeneratorTests
{
    private const string Key = "sk-test-5f1c0b7e-secret";

    internal static string FloatBody(float[][] vectors, string model = "text-embedding-3-small", int[]? order = null, bool withUsage = true) =>
        JsonSerializer.Serialize(new
        {
            @object = "list",
            data = (order ?? Enumerable.Range(0, vectors.Length).ToArray()).Select(i => new { @object = "embedding", index = i, embedding = vectors[i] }),
            model,
            usage = withUsage ? new { prompt_tokens = 11, total_tokens = 13 } : null,
        });

    internal static string Base64Body(float[][] vectors) =>
        JsonSerializer.Serialize(new
        {
            @object = "list",
            data = vectors.Select((v, i) => new { @object = "embedding", index = i, embedding = ToBase64(v) }),
            model = "text-embedding-3-small",
        });

    internal static string ToBase64(float[] vector)
    {
        var bytes = new byte[vector.Length * 4];
        for (int i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), vector[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    private static OpenAIEmbeddingGenerator Create(Uri endpoint, Action<OpenAIEmbeddingProviderOptions>? configure = null, TimeProvider? time = null, HttpClient? client = null, ListLogger<OpenAIEmbeddingGenerator>? logger = null)
    {
        var options = new OpenAIEmbeddingProviderOptions { Endpoint = endpoint, ApiKey = Key, Name = "primary" };
        configure?.Invoke(options);
        return new OpenAIEmbeddingGenerator(client ?? new HttpClient(), options, time, logger);
    }

    [Fact]
    public async Task GenerateAsync_FloatResponse_SendsOpenAIWireFormatAndReturnsVectorsInIndexOrder()
    {
        float[][] vectors = [[0.1f, -0.25f, 3f], [1e-7f, 0f, -1f]];
        await using var server = await RecordingServer.StartAsync((context, _) =>
            RecordingServer.WriteJsonAsync(context, FloatBody(vectors, order: [1, 0])));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
        using var generator = Create(server.BaseAddress, o => o.Dimensions = 3, time);

        var result = await generator.GenerateAsync(["alpha", "beta"]);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/embeddings", request.Path);
        Assert.Equal("Bearer " + Key, request.Header("Authorization"));
        Assert.Null(request.Header("api-key"));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(["alpha", "beta"], request.Body.GetProperty("input").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("text-embedding-3-small", request.Body.GetProperty("model").GetString());
        Assert.Equal(3, request.Body.GetProperty("dimensions").GetInt32());
        Assert.Equal("float", request.Body.GetProperty("encoding_format").GetString());

        Assert.Equal(2, result.Count);
        // The server listed index 1 first; the result follows the indices, i.e. the input order.
        Assert.Equal(vectors[0], result[0].Vector.ToArray());
        Assert.Equal(vectors[1], result[1].Vector.ToArray());
        Assert.All(result, e => Assert.Equal("text-embedding-3-small", e.ModelId));
        Assert.All(result, e => Assert.Equal(time.GetUtcNow(), e.CreatedAt));
        Assert.Equal(11, result.Usage!.InputTokenCount);
        Assert.Equal(13, result.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task GenerateAsync_PerCallOptions_OverrideModelAndDimensions()
    {
        await using var server = await RecordingServer.StartAsync((context, _) =>
            RecordingServer.WriteJsonAsync(context, FloatBody([[1f, 2f]], withUsage: false)));
        using var generator = Create(server.BaseAddress, o => o.Dimensions = 8);

        var result = await generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { ModelId = "text-embedding-3-large", Dimensions = 2 });

        var body = Assert.Single(server.Requests).Body;
        Assert.Equal("text-embedding-3-large", body.GetProperty("model").GetString());
        Assert.Equal(2, body.GetProperty("dimensions").GetInt32());
        Assert.Equal("text-embedding-3-large", result[0].ModelId);
        Assert.Null(result.Usage);
    }

    [Fact]
    public async Task GenerateAsync_Base64Encoding_DecodesLittleEndianFloat32Exactly()
    {
        float[][] vectors =
        [
            [float.Epsilon, -0f, 1f / 3f, float.MaxValue, float.MinValue, -123.456f],
            [0.5f, -0.5f, 1e-38f, 7f, 8f, 9f],
        ];
        await using var server = await RecordingServer.StartAsync((context, _) =>
            RecordingServer.WriteJsonAsync(context, Base64Body(vectors)));
        using var generator = Create(server.BaseAddress, o => o.EncodingFormat = EmbeddingEncodingFormat.Base64);

        var result = await generator.GenerateAsync(["a", "b"]);

        Assert.Equal("base64", Assert.Single(server.Requests).Body.GetProperty("encoding_format").GetString());
        for (int i = 0; i < vectors.Length; i++)
        {
            Assert.Equal(
                vectors[i].Select(BitConverter.SingleToInt32Bits),
                result[i].Vector.ToArray().Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public async Task GenerateAsync_Base64WithNaN_ThrowsMalformedResponse()
    {
        await using var server = await RecordingServer.StartAsync((context, _) =>
            RecordingServer.WriteJsonAsync(context, Base64Body([[1f, float.NaN]])));
        using var generator = Create(server.BaseAddress, o => o.EncodingFormat = EmbeddingEncodingFormat.Base64);

        var ex = await Assert.ThrowsAsync<EmbeddingProviderException>(() => generator.GenerateAsync(["a"]));

        Assert.Equal(EmbeddingProviderFailureReason.MalformedResponse, ex.Reason);
        Assert.Contains("non-finite", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_Base64NotWholeFloats_ThrowsMalformedResponse()
    {
        string body = JsonSerializer.Serialize(new { data = new[] { new { index = 0, embedding = Convert.ToBase64String(new byte[6]) } } });
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, body));
        using var generator = Create(server.BaseAddress, o => o.EncodingFormat = EmbeddingEncodingFormat.Base64);

        var ex = await Assert.ThrowsAsync<EmbeddingProviderException>(() => generator.GenerateAsync(["a"]));

        Assert.Equal(EmbeddingProviderFailureReason.MalformedResponse, ex.Reason);
    }

    [Fact]
    public async Task GenerateAsync_AzureDeployment_UsesDeploymentPathApiVersionAndApiKeyHeader()
    {
        await using var server = await RecordingServer.StartAsync((context, _) =>
            RecordingServer.WriteJsonAsync(context, FloatBody([[1f, 2f]], model: "text-embedding-3-small")));
        using var generator = Create(server.BaseAddress, o =>
        {
            o.Deployment = "emb-prod";
            o.ApiVersion = "2024-10-21";
        });

        var result = await generator.GenerateAsync(["x"]);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/openai/deployments/emb-prod/embeddings", request.Path);
        Assert.Equal("?api-version=2024-10-21", request.Query);
        Assert.Equal(Key, request.Header("api-key"));
        Assert.Null(request.Header("Authorization"));
        Assert.False(request.Body.TryGetProperty("model", out _));
        Assert.Equal("emb-prod", result[0].ModelId);
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal("azure.ai.openai", metadata.ProviderName);
    }

    [Fact]
    public async Task GenerateAsync_SelfHostedWithoutKey_SendsNoAuthorizationAndHonoursRequestPath()
    {
        await using var server = await RecordingServer.StartAsync((context, _) =>
            RecordingServer.WriteJsonAsync(context, FloatBody([[1f]], model: "bge-small")));
        var options = new OpenAIEmbeddingProviderOptions { Endpoint = new Uri(server.BaseAddress, "proxy"), ModelId = "bge-small", RequestPath = "api/v1/embeddings" };
        using var generator = new OpenAIEmbeddingGenerator(new HttpClient(), options);

        await generator.GenerateAsync(["x"]);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/proxy/api/v1/embeddings", request.Path);
        Assert.Null(request.Header("Authorization"));
    }

    [Fact]
    public async Task GenerateAsync_MoreInputsThanLimit_ThrowsArgumentExceptionWithoutCallingServer()
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, "{}"));
        using var generator = Create(server.BaseAddress);
        var inputs = Enumerable.Range(0, 2049).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(inputs));

        Assert.Equal("values", ex.ParamName);
        Assert.Contains("2048", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task GenerateAsync_MoreTokensThanBudget_ThrowsArgumentException()
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, "{}"));
        using var generator = Create(server.BaseAddress, o => o.MaxTokensPerRequest = 10);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync([new string('a', 20), new string('b', 20)]));

        Assert.Contains("estimated tokens", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task GenerateAsync_NullInput_ThrowsNamingTheIndex()
    {
        using var generator = Create(new Uri("http://127.0.0.1:9/"));

        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => generator.GenerateAsync(["a", null!]));

        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t\n ")]
    public async Task GenerateAsync_BlankInput_ThrowsNamingTheIndexWithoutCallingServer(string blank)
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, FloatBody([[1f], [1f], [1f]])));
        using var generator = Create(server.BaseAddress);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["a", "b", blank]));

        Assert.Equal("values", ex.ParamName);
        Assert.Contains("index 2", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task GenerateAsync_InputOverThePerInputTokenLimit_ThrowsNamingTheIndexWithoutCallingServer()
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, FloatBody([[1f], [1f]])));
        using var generator = Create(server.BaseAddress);
        var limits = generator.GetService<EmbeddingProviderLimits>()!;
        Assert.Equal(8_191, limits.MaxTokensPerInput);

        // 8,191 estimated tokens is 24,573 bytes at three bytes per token; one byte more is over the limit.
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["fits", new string('x', (8_191 * 3) + 1)]));

        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("8191 tokens per input", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
        await generator.GenerateAsync(["fits", new string('x', 8_191 * 3)]);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void Limits_MaxTokensPerInputOverride_ReplacesTheDocumentedLimit()
    {
        var options = new OpenAIEmbeddingProviderOptions { ApiKey = Key, MaxTokensPerInput = 100 };

        Assert.Equal(100, options.Limits.MaxTokensPerInput);
        Assert.Null(new OllamaEmbeddingProviderOptions().Limits.MaxTokensPerInput);
    }

    [Fact]
    public async Task GenerateAsync_NoInputs_ReturnsEmptyWithoutCallingServer()
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, "{}"));
        using var generator = Create(server.BaseAddress);

        var result = await generator.GenerateAsync([]);

        Assert.Empty(result);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task GenerateAsync_RepeatedIndex_ThrowsMalformedResponse()
    {
        await using var server = await RecordingServer.StartAsync((context, _) =>
            RecordingServer.WriteJsonAsync(context, FloatBody([[1f], [2f]], order: [0, 0])));
        using var generator = Create(server.BaseAddress);

        var ex = await Assert.ThrowsAsync<EmbeddingProviderException>(() => generator.GenerateAsync(["a", "b"]));

        Assert.Equal(EmbeddingProviderFailureReason.MalformedResponse, ex.Reason);
    }

    [Fact]
    public async Task GenerateAsync_RetryAfterMsAndRetryAfter_PrefersMilliseconds()
    {
        await using var server = await RecordingServer.StartAsync((context, _) =>
            RecordingServer.WriteJsonAsync(context, "{\"error\":{\"message\":\"slow down\"}}", 429, ("retry-after-ms", "1500"), ("Retry-After", "20")));
        using var generator = Create(server.BaseAddress);

        var ex = await Assert.ThrowsAsync<EmbeddingProviderException>(() => generator.GenerateAsync(["a"]));

        Assert.Equal(EmbeddingProviderFailureReason.RateLimited, ex.Reason);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), ex.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task GetService_Metadata_DescribesProviderEndpointModelAndDimensions()
    {
        using var generator = Create(new Uri("http://127.0.0.1:9/base"), o => o.Dimensions = 256);

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        var limits = generator.GetService<EmbeddingProviderLimits>()!;

        Assert.Equal("openai", metadata.ProviderName);
        Assert.Equal(new Uri("http://127.0.0.1:9/base/"), metadata.ProviderUri);
        Assert.Equal("text-embedding-3-small", metadata.DefaultModelId);
        Assert.Equal(256, metadata.DefaultModelDimensions);
        Assert.Equal(2048, limits.MaxInputsPerRequest);
        Assert.Equal(300_000, limits.MaxTokensPerRequest);
        Assert.Same(generator, generator.GetService<OpenAIEmbeddingGenerator>());
        Assert.Null(generator.GetService<EmbeddingGeneratorMetadata>("keyed"));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingEachSettingWithoutTheKey()
    {
        var options = new OpenAIEmbeddingProviderOptions
        {
            Endpoint = new Uri("ftp://example.invalid/"),
            ApiKey = Key,
            Timeout = TimeSpan.Zero,
            Dimensions = 0,
            MaxInputsPerRequest = 0,
        };

        var ex = Assert.Throws<ArgumentException>(() => new OpenAIEmbeddingGenerator(new HttpClient(), options));

        Assert.Equal("options", ex.ParamName);
        Assert.Contains("Endpoint", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Timeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Dimensions", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxInputsPerRequest", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_OpenAIEndpointWithoutKey_ThrowsNamingApiKey()
    {
        var ex = Assert.Throws<ArgumentException>(() => new OpenAIEmbeddingGenerator(new HttpClient(), new OpenAIEmbeddingProviderOptions()));

        Assert.Contains("ApiKey", ex.Message, StringComparison.Ordinal);
    }
}
