using Cosmos.Embeddings.Providers;
using Cosmos.Embeddings.Telemetry;
using Cosmos.TestUtils;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings.Tests.DependencyInjection;

public sealed class EmbeddingPipelineRegistrationTests
{
    [Fact]
    public async Task AddCosmosEmbeddings_Defaults_ComposeCacheBatchingAndChainOverTheLocalProvider()
    {
        await using var services = new ServiceCollection().AddCosmosEmbeddings().BuildServiceProvider();

        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var result = await generator.GenerateAsync(["offline works", "no download"]);

        Assert.IsType<CachingEmbeddingGenerator>(generator);
        Assert.NotNull(generator.GetService<BatchingEmbeddingGenerator>());
        var chain = generator.GetService<FallbackEmbeddingGenerator>();
        Assert.Equal([LocalEmbeddingGenerator.ProviderName], chain!.Providers.Select(p => p.Name));
        Assert.All(result, e =>
        {
            Assert.Equal(LocalEmbeddingGenerator.ModelId, e.ModelId);
            Assert.Equal(384, e.Dimensions);
            Assert.Equal(LocalEmbeddingGenerator.ProviderName, e.AdditionalProperties![EmbeddingPropertyNames.Provider]);
        });
    }

    [Fact]
    public void AddCosmosEmbeddings_CacheDisabled_LeavesTheCacheOut()
    {
        using var services = new ServiceCollection().AddCosmosEmbeddings(o => o.CacheEnabled = false).BuildServiceProvider();

        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        Assert.IsType<BatchingEmbeddingGenerator>(generator);
        Assert.Null(generator.GetService<CachingEmbeddingGenerator>());
    }

    [Fact]
    public void AddCosmosEmbeddings_ConfiguredProviders_FormTheChainInOrderWithLocalLast()
    {
        using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o =>
            {
                o.Providers.Add(new OpenAIEmbeddingProviderOptions { ApiKey = "k", MaxInputsPerRequest = 10 });
                o.Providers.Add(new OllamaEmbeddingProviderOptions());
            })
            .BuildServiceProvider();

        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        Assert.Equal(["openai", "ollama", LocalEmbeddingGenerator.ProviderName], generator.GetService<FallbackEmbeddingGenerator>()!.Providers.Select(p => p.Name));
        Assert.Equal(10, generator.GetService<BatchingEmbeddingGenerator>()!.MaxBatchSize);
    }

    [Fact]
    public void AddCosmosEmbeddings_LocalFallbackOff_KeepsOnlyTheConfiguredProviders()
    {
        using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o =>
            {
                o.LocalFallback = false;
                o.Providers.Add(new OllamaEmbeddingProviderOptions());
            })
            .BuildServiceProvider();

        var chain = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<FallbackEmbeddingGenerator>();

        Assert.Equal(["ollama"], chain!.Providers.Select(p => p.Name));
    }

    [Fact]
    public async Task AddCosmosEmbeddings_PrimaryFailsAndTagPolicy_LocalAnswersTagged()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        await using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o =>
            {
                o.Providers.Add(new OpenAIEmbeddingProviderOptions { Endpoint = server.BaseAddress, ApiKey = "secret" });
                o.Fallback.ModelMixing = ModelMixingPolicy.Tag;
            })
            .BuildServiceProvider();
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var result = await generator.GenerateAsync(["hello"]);

        Assert.Equal(LocalEmbeddingGenerator.ProviderName, result[0].AdditionalProperties![EmbeddingPropertyNames.Provider]);
        Assert.Equal(LocalEmbeddingGenerator.ModelId, result[0].ModelId);
        Assert.Equal(true, result[0].AdditionalProperties![EmbeddingPropertyNames.IsFallback]);
    }

    [Fact]
    public async Task AddCosmosEmbeddings_PrimaryFailsAndDefaultPolicy_FailsRatherThanMixingModels()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        });
        await using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o => o.Providers.Add(new OpenAIEmbeddingProviderOptions { Endpoint = server.BaseAddress, ApiKey = "secret" }))
            .BuildServiceProvider();
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var ex = await Assert.ThrowsAsync<EmbeddingBatchException>(() => generator.GenerateAsync(["hello", "world"]));

        Assert.Equal([0, 1], ex.FailedInputIndices);
        var mismatch = Assert.IsType<EmbeddingModelMismatchException>(Assert.Single(((AggregateException)ex.InnerException!).InnerExceptions));
        Assert.Equal("text-embedding-3-small/unknown-dimensions", mismatch.ExpectedModelSpace);
        Assert.DoesNotContain("secret", mismatch.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddCosmosEmbeddings_WithMeterFactory_RecordsLatencyAndBatchSizes()
    {
        await using var services = new ServiceCollection()
            .AddMetrics()
            .AddCosmosEmbeddings(o => o.Batching.MaxBatchSize = 2)
            .BuildServiceProvider();
        using var collector = new MetricCollector("Cosmos.Embeddings", services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        await generator.GenerateAsync(["a", "b", "c"]);

        Assert.Equal([1.0, 2.0], collector.For(EmbeddingsTelemetry.BatchSizeName).Select(m => m.Value).Order());
        var latency = collector.For(EmbeddingsTelemetry.ProviderDurationName);
        Assert.Equal(2, latency.Count);
        Assert.All(latency, m => Assert.Equal(LocalEmbeddingGenerator.ProviderName, m.Tags["provider"]));
    }

    public static TheoryData<string, Action<CosmosEmbeddingsOptions>> BadOptions() => new()
    {
        { "Batching.MaxBatchSize", o => o.Batching.MaxBatchSize = 0 },
        { "Batching.MaxBatchTokens", o => o.Batching.MaxBatchTokens = 0 },
        { "Batching.MaxConcurrency", o => o.Batching.MaxConcurrency = 0 },
        { "Batching.TokenEstimator", o => o.Batching.TokenEstimator = null! },
        { "Cache.SizeLimit", o => o.Cache.SizeLimit = 0 },
        { "Cache.TimeToLive", o => o.Cache.TimeToLive = TimeSpan.FromSeconds(-1) },
        { "Fallback.ModelMixing", o => o.Fallback.ModelMixing = (ModelMixingPolicy)7 },
        { "Fallback.CircuitBreakerFailureRatio", o => o.Fallback.CircuitBreakerFailureRatio = 0 },
        { "Fallback.CircuitBreakerMinimumThroughput", o => o.Fallback.CircuitBreakerMinimumThroughput = 1 },
        { "Fallback.CircuitBreakerSamplingDuration", o => o.Fallback.CircuitBreakerSamplingDuration = TimeSpan.FromMilliseconds(10) },
        { "Fallback.CircuitBreakerBreakDuration", o => o.Fallback.CircuitBreakerBreakDuration = TimeSpan.Zero },
        { "Fallback", o => o.Fallback = null! },
        { "Batching", o => o.Batching = null! },
        { "Cache", o => o.Cache = null! },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void AddCosmosEmbeddings_BadPipelineOption_FailsAtStartNamingIt(string option, Action<CosmosEmbeddingsOptions> configure)
    {
        using var services = new ServiceCollection().AddCosmosEmbeddings(configure).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("CosmosEmbeddingsOptions." + option, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCosmosEmbeddings_CacheDisabled_DoesNotValidateTheCacheSize()
    {
        using var services = new ServiceCollection().AddCosmosEmbeddings(o =>
        {
            o.CacheEnabled = false;
            o.Cache.SizeLimit = 0;
        }).BuildServiceProvider();

        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void AddCosmosEmbeddings_AnnotatedSubOptionOutOfRange_FailsAtStartThroughTheGeneratedValidator()
    {
        using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o => o.VectorIndex.RescoreOversampling = 0)
            .BuildServiceProvider();

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CosmosEmbeddingsOptions>>().Value);

        // The source-generated DataAnnotations validator reports the member path of the [Range] it checked.
        Assert.Contains(ex.Failures, f => f.Contains("VectorIndex.RescoreOversampling", StringComparison.Ordinal) && f.Contains("between", StringComparison.OrdinalIgnoreCase));
    }
}
