using Cosmos.Embeddings.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings.Tests.Providers;

public sealed class EmbeddingProvidersRegistrationTests
{
    [Fact]
    public void AddCosmosEmbeddings_InvalidProvider_FailsValidationNamingTheEntryAndSetting()
    {
        using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o =>
            {
                o.Providers.Add(new OllamaEmbeddingProviderOptions());
                o.Providers.Add(new CohereEmbeddingProviderOptions { Timeout = TimeSpan.Zero });
            })
            .BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CosmosEmbeddingsOptions>>().Value);

        Assert.Contains("Providers[1].ApiKey", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Providers[1].Timeout", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Providers[0]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCosmosEmbeddings_DuplicateNames_FailsValidation()
    {
        using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o =>
            {
                o.Providers.Add(new OllamaEmbeddingProviderOptions { Name = "edge" });
                o.Providers.Add(new OllamaEmbeddingProviderOptions { Name = "EDGE", ModelId = "all-minilm" });
            })
            .BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CosmosEmbeddingsOptions>>().Value);

        Assert.Contains("Providers[1].Name 'EDGE' is also used by Providers[0]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCosmosEmbeddings_ValidProviders_KeepFallbackOrder()
    {
        using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o =>
            {
                o.Providers.Add(new OpenAIEmbeddingProviderOptions { ApiKey = "k" });
                o.Providers.Add(new OllamaEmbeddingProviderOptions());
            })
            .BuildServiceProvider();

        var providers = services.GetRequiredService<IOptions<CosmosEmbeddingsOptions>>().Value.Providers;

        Assert.Equal(["openai", "ollama"], providers.Select(p => p.Name));
    }

    [Fact]
    public async Task Create_FromServiceProvider_UsesTheNamedHttpClient()
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, ProviderCase.OllamaBody([[1f, 0f]])));
        var options = new OllamaEmbeddingProviderOptions { Name = "edge", Endpoint = server.BaseAddress };
        var collection = new ServiceCollection().AddCosmosEmbeddings();
        collection.AddHttpClient(options.HttpClientName, c => c.DefaultRequestHeaders.Add("X-Host-Client", "edge"));
        using var services = collection.BuildServiceProvider();

        using var generator = EmbeddingProviderFactory.Create(options, services);
        var result = await generator.GenerateAsync(["x"]);

        Assert.IsType<OllamaEmbeddingGenerator>(generator);
        Assert.Equal("Cosmos.Embeddings.edge", options.HttpClientName);
        Assert.Equal("edge", Assert.Single(server.Requests).Header("X-Host-Client"));
        Assert.Single(result);
    }

    [Fact]
    public void Create_HostedProviderWithoutHttpClient_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => EmbeddingProviderFactory.Create(new OllamaEmbeddingProviderOptions(), httpClient: null));
    }

    [Fact]
    public void Limits_Overrides_ReplaceDocumentedDefaults()
    {
        var options = new HuggingFaceTeiEmbeddingProviderOptions { MaxInputsPerRequest = 128, MaxTokensPerRequest = 16_384 };

        Assert.Equal(128, options.Limits.MaxInputsPerRequest);
        Assert.Equal(16_384, options.Limits.MaxTokensPerRequest);
        Assert.Null(new CohereEmbeddingProviderOptions().Limits.MaxTokensPerRequest);
    }

    [Theory]
    [InlineData("", 1)]
    [InlineData("abc", 1)]
    [InlineData("abcd", 2)]
    [InlineData("日本語", 3)]
    public void EstimateTokens_Text_IsCeilingOfUtf8BytesOverThree(string text, int expected)
    {
        Assert.Equal(expected, EmbeddingProviderLimits.EstimateTokens(text));
    }

    [Fact]
    public async Task Create_FromServiceProviderWithTraceLogging_NeverLogsTheKey()
    {
        await using var server = await RecordingServer.StartAsync((context, _) => RecordingServer.WriteJsonAsync(context, "{}", 500));
        var logs = new ListLoggerFactory();
        var collection = new ServiceCollection().AddCosmosEmbeddings();
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider(logs.Logger)));
        using var services = collection.BuildServiceProvider();
        var options = new OpenAIEmbeddingProviderOptions { Name = "primary", Endpoint = server.BaseAddress, ApiKey = ProviderCase.Key, Deployment = "d" };

        using var generator = EmbeddingProviderFactory.Create(options, services);
        await Assert.ThrowsAsync<EmbeddingProviderException>(() => generator.GenerateAsync(["x"]));

        // The HttpClient factory's own handlers log request headers at Trace; the provider logs the failure at Warning.
        Assert.Contains(logs.Logger.Lines, line => line.Contains("api-key", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(logs.Logger.Lines, line => line.Contains("EmbeddingRequestFailed", StringComparison.Ordinal) || line.Contains(" 4001 ", StringComparison.Ordinal));
        Assert.All(logs.Logger.Lines, line => Assert.DoesNotContain(ProviderCase.Key, line, StringComparison.Ordinal));
    }

    private sealed class ListLoggerProvider(ListLogger<object> logger) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }
}
