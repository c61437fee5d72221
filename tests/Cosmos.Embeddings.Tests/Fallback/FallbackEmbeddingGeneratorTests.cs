using System.Net;
using Cosmos.Embeddings.Providers;
using Cosmos.Embeddings.Telemetry;
using Cosmos.Embeddings.Tests.Fakes;
using Cosmos.TestUtils;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;

namespace Cosmos.Embeddings.Tests.Fallback;

public sealed class FallbackEmbeddingGeneratorTests
{
    private static readonly string[] Inputs = ["alpha", "beta"];

    [Fact]
    public async Task GenerateAsync_PrimaryHealthy_AnswersFromPrimaryAndRecordsIt()
    {
        var primary = new FakeEmbeddingGenerator("primary", "m1", 4);
        var secondary = new FakeEmbeddingGenerator("secondary", "m1", 4);
        using var chain = new FallbackEmbeddingGenerator([new("primary", primary), new("secondary", secondary)]);

        var result = await chain.GenerateAsync(Inputs);

        Assert.Equal(1, primary.Calls);
        Assert.Equal(0, secondary.Calls);
        Assert.All(result, e =>
        {
            Assert.Equal("m1", e.ModelId);
            Assert.Equal("primary", e.AdditionalProperties![EmbeddingPropertyNames.Provider]);
            Assert.Equal("m1/4", e.AdditionalProperties[EmbeddingPropertyNames.ModelSpace]);
            Assert.False(e.AdditionalProperties.ContainsKey(EmbeddingPropertyNames.IsFallback));
        });
        Assert.Equal(FakeEmbeddingGenerator.VectorFor("beta", 4), result[1].Vector.ToArray());
    }

    [Fact]
    public async Task GenerateAsync_FirstProvidersFail_AsksInOrderUntilOneAnswers()
    {
        var order = new List<string>();
        var first = new FakeEmbeddingGenerator("first", "m1") { Failure = _ => { order.Add("first"); return new HttpRequestException("down", null, HttpStatusCode.ServiceUnavailable); } };
        var second = new FakeEmbeddingGenerator("second", "m1") { Failure = _ => { order.Add("second"); return new TimeoutException(); } };
        var third = new FakeEmbeddingGenerator("third", "m1") { Failure = _ => { order.Add("third"); return null; } };
        var fourth = new FakeEmbeddingGenerator("fourth", "m1");
        using var chain = new FallbackEmbeddingGenerator([new("first", first), new("second", second), new("third", third), new("fourth", fourth)]);

        var result = await chain.GenerateAsync(Inputs);

        Assert.Equal(["first", "second", "third"], order);
        Assert.Equal(0, fourth.Calls);
        Assert.All(result, e =>
        {
            Assert.Equal("third", e.AdditionalProperties![EmbeddingPropertyNames.Provider]);
            Assert.Equal(true, e.AdditionalProperties[EmbeddingPropertyNames.IsFallback]);
        });
    }

    [Fact]
    public async Task GenerateAsync_BreakerOpen_ProviderIsNotCalledUntilBreakElapses()
    {
        var time = new FakeTimeProvider();
        var primary = new FakeEmbeddingGenerator("primary", "m1") { Failure = _ => new HttpRequestException("refused") };
        var secondary = new FakeEmbeddingGenerator("secondary", "m1");
        var options = new FallbackEmbeddingGeneratorOptions
        {
            CircuitBreakerFailureRatio = 0.5,
            CircuitBreakerMinimumThroughput = 2,
            CircuitBreakerBreakDuration = TimeSpan.FromSeconds(10),
        };
        using var chain = new FallbackEmbeddingGenerator([new("primary", primary), new("secondary", secondary)], options, time);

        await chain.GenerateAsync(Inputs);
        await chain.GenerateAsync(Inputs);
        Assert.Equal(2, primary.Calls);
        Assert.Equal(CircuitState.Open, chain.GetCircuitState("primary"));

        for (var i = 0; i < 5; i++)
        {
            var result = await chain.GenerateAsync(Inputs);
            Assert.Equal("secondary", result[0].AdditionalProperties![EmbeddingPropertyNames.Provider]);
        }

        Assert.Equal(2, primary.Calls);
        Assert.Equal(7, secondary.Calls);

        // After the break the breaker lets one trial call through; a healthy answer closes it.
        time.Advance(TimeSpan.FromSeconds(11));
        primary.Failure = null;
        var recovered = await chain.GenerateAsync(Inputs);
        Assert.Equal(3, primary.Calls);
        Assert.Equal("primary", recovered[0].AdditionalProperties![EmbeddingPropertyNames.Provider]);
        Assert.Equal(CircuitState.Closed, chain.GetCircuitState("primary"));
    }

    [Fact]
    public async Task GenerateAsync_FallbackOfOtherModel_FailPolicy_ThrowsMismatchWithoutCallingIt()
    {
        var primary = new FakeEmbeddingGenerator("primary", "big-model", 8) { Failure = _ => new HttpRequestException("refused") };
        var local = new FakeEmbeddingGenerator("local", "small-model", 4);
        using var chain = new FallbackEmbeddingGenerator([new("primary", primary), new("local", local)]);

        var ex = await Assert.ThrowsAsync<EmbeddingModelMismatchException>(() => chain.GenerateAsync(Inputs));

        Assert.Equal(0, local.Calls);
        Assert.Equal("big-model/8", ex.ExpectedModelSpace);
        Assert.Equal(["local (small-model/4)"], ex.RejectedModelSpaces);
        Assert.Contains("Tag", ex.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(Assert.Single(((AggregateException)ex.InnerException!).InnerExceptions));
    }

    [Fact]
    public async Task GenerateAsync_FallbackOfOtherDimension_FailPolicy_SkipsItForACompatibleOne()
    {
        var primary = new FakeEmbeddingGenerator("primary", "m1", 8) { Failure = _ => new HttpRequestException("refused") };
        var shorter = new FakeEmbeddingGenerator("shorter", "m1", 4);
        var same = new FakeEmbeddingGenerator("same", "m1", 8);
        using var chain = new FallbackEmbeddingGenerator([new("primary", primary), new("shorter", shorter), new("same", same)]);

        var result = await chain.GenerateAsync(Inputs);

        Assert.Equal(0, shorter.Calls);
        Assert.Equal("same", result[0].AdditionalProperties![EmbeddingPropertyNames.Provider]);
        Assert.Equal(8, result[0].Dimensions);
    }

    [Fact]
    public async Task GenerateAsync_UndeclaredProviderAnswersOtherModel_FailPolicy_DiscardsTheAnswer()
    {
        var primary = new FakeEmbeddingGenerator("primary", "m1", 8) { Failure = _ => new HttpRequestException("refused") };
        var undeclared = new FakeEmbeddingGenerator("undeclared", "m2", 8, declareModel: false);
        using var chain = new FallbackEmbeddingGenerator([new("primary", primary), new("undeclared", undeclared)]);

        await Assert.ThrowsAsync<EmbeddingModelMismatchException>(() => chain.GenerateAsync(Inputs));

        Assert.Equal(1, undeclared.Calls);
    }

    [Fact]
    public async Task GenerateAsync_FallbackOfOtherModel_TagPolicy_AnswersTaggedWithItsModelSpace()
    {
        var primary = new FakeEmbeddingGenerator("primary", "big-model", 8) { Failure = _ => new HttpRequestException("refused") };
        var local = new FakeEmbeddingGenerator("local", "small-model", 4);
        using var chain = new FallbackEmbeddingGenerator(
            [new("primary", primary), new("local", local)],
            new FallbackEmbeddingGeneratorOptions { ModelMixing = ModelMixingPolicy.Tag });

        var result = await chain.GenerateAsync(Inputs);

        Assert.All(result, e =>
        {
            Assert.Equal("small-model", e.ModelId);
            Assert.Equal(4, e.Dimensions);
            Assert.Equal("local", e.AdditionalProperties![EmbeddingPropertyNames.Provider]);
            Assert.Equal("small-model/4", e.AdditionalProperties[EmbeddingPropertyNames.ModelSpace]);
            Assert.Equal(true, e.AdditionalProperties[EmbeddingPropertyNames.IsFallback]);
        });
    }

    [Fact]
    public async Task GenerateAsync_ProviderLeavesModelIdUnset_RecordsTheDeclaredModel()
    {
        var anonymous = new FakeEmbeddingGenerator("anon", modelId: null, 4);
        using var chain = new FallbackEmbeddingGenerator([new("anon", anonymous) { ModelId = "declared-model" }]);

        var result = await chain.GenerateAsync(Inputs);

        Assert.All(result, e => Assert.Equal("declared-model", e.ModelId));
    }

    [Fact]
    public async Task GenerateAsync_EveryProviderFails_ThrowsUnavailableWithEachReason()
    {
        var first = new FakeEmbeddingGenerator("first", "m1") { Failure = _ => new HttpRequestException("busy", null, HttpStatusCode.TooManyRequests) };
        var second = new FakeEmbeddingGenerator("second", "m1") { Failure = _ => new HttpRequestException("boom", null, HttpStatusCode.InternalServerError) };
        using var chain = new FallbackEmbeddingGenerator([new("first", first), new("second", second)]);

        var ex = await Assert.ThrowsAsync<EmbeddingProvidersUnavailableException>(() => chain.GenerateAsync(Inputs));

        Assert.Equal([new("first", "rate_limited"), new KeyValuePair<string, string>("second", "server_error")], ex.ProviderReasons);
        Assert.Equal(2, ((AggregateException)ex.InnerException!).InnerExceptions.Count);
    }

    [Fact]
    public async Task GenerateAsync_WrongNumberOfEmbeddings_CountsAsProviderFailure()
    {
        var shortAnswer = new ShortAnsweringGenerator();
        var backup = new FakeEmbeddingGenerator("backup", null);
        using var chain = new FallbackEmbeddingGenerator([new("short", shortAnswer), new("backup", backup)]);

        var result = await chain.GenerateAsync(Inputs);

        Assert.Equal("backup", result[0].AdditionalProperties![EmbeddingPropertyNames.Provider]);
    }

    [Fact]
    public async Task GenerateAsync_CallerCancels_ThrowsWithoutFallingBackOrCountingAFailure()
    {
        var time = new FakeTimeProvider();
        var primary = new FakeEmbeddingGenerator("primary", "m1") { Gate = new TaskCompletionSource() };
        var secondary = new FakeEmbeddingGenerator("secondary", "m1");
        using var chain = new FallbackEmbeddingGenerator(
            [new("primary", primary), new("secondary", secondary)],
            new FallbackEmbeddingGeneratorOptions { CircuitBreakerMinimumThroughput = 2, CircuitBreakerFailureRatio = 0.5 },
            time);

        for (var i = 0; i < 3; i++)
        {
            using var cts = new CancellationTokenSource();
            var call = chain.GenerateAsync(Inputs, cancellationToken: cts.Token);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        Assert.Equal(0, secondary.Calls);
        Assert.Equal(CircuitState.Closed, chain.GetCircuitState("primary"));
    }

    [Fact]
    public async Task GenerateAsync_Failures_RecordErrorsAndLatencyByProvider()
    {
        var factory = TestMeters.CreateFactory();
        using var collector = new MetricCollector("Cosmos.Embeddings", factory);
        var primary = new FakeEmbeddingGenerator("primary", "m1") { Failure = _ => new TimeoutException() };
        var secondary = new FakeEmbeddingGenerator("secondary", "m1");
        using var chain = new FallbackEmbeddingGenerator([new("primary", primary), new("secondary", secondary)], meterFactory: factory);

        await chain.GenerateAsync(Inputs);

        var error = Assert.Single(collector.For(EmbeddingsTelemetry.ErrorsName));
        Assert.Equal("primary", error.Tags["provider"]);
        Assert.Equal("timeout", error.Tags["reason"]);
        var latency = collector.For(EmbeddingsTelemetry.ProviderDurationName);
        Assert.Equal(["primary", "secondary"], latency.Select(m => (string)m.Tags["provider"]!));
        Assert.Equal(["failure", "success"], latency.Select(m => (string)m.Tags["outcome"]!));
    }

    [Fact]
    public async Task GenerateAsync_OpenBreaker_CountsCircuitOpenErrors()
    {
        var factory = TestMeters.CreateFactory();
        using var collector = new MetricCollector("Cosmos.Embeddings", factory);
        var primary = new FakeEmbeddingGenerator("primary", "m1") { Failure = _ => new HttpRequestException("refused") };
        var secondary = new FakeEmbeddingGenerator("secondary", "m1");
        using var chain = new FallbackEmbeddingGenerator(
            [new("primary", primary), new("secondary", secondary)],
            new FallbackEmbeddingGeneratorOptions { CircuitBreakerMinimumThroughput = 2 },
            new FakeTimeProvider(),
            meterFactory: factory);

        for (var i = 0; i < 4; i++)
        {
            await chain.GenerateAsync(Inputs);
        }

        var reasons = collector.For(EmbeddingsTelemetry.ErrorsName).Select(m => (string)m.Tags["reason"]!).ToArray();
        Assert.Equal(["unreachable", "unreachable", "circuit_open", "circuit_open"], reasons);
    }

    [Fact]
    public async Task GenerateAsync_ProviderException_RecordsItsReason()
    {
        var factory = TestMeters.CreateFactory();
        using var collector = new MetricCollector("Cosmos.Embeddings", factory);
        var primary = new FakeEmbeddingGenerator("primary", "m1")
        {
            Failure = _ => new EmbeddingProviderException(EmbeddingProviderFailureReason.RateLimited, "slow down") { RetryAfter = TimeSpan.FromSeconds(2) },
        };
        using var chain = new FallbackEmbeddingGenerator([new("primary", primary), new("secondary", new FakeEmbeddingGenerator("secondary", "m1"))], meterFactory: factory);

        await chain.GenerateAsync(Inputs);

        Assert.Equal("rate_limited", Assert.Single(collector.For(EmbeddingsTelemetry.ErrorsName)).Tags["reason"]);
    }

    [Fact]
    public async Task GenerateAsync_RequestRefusedAsInvalid_FallsBackWithoutOpeningTheBreaker()
    {
        var primary = new FakeEmbeddingGenerator("primary", "m1")
        {
            Failure = _ => new EmbeddingProviderException(EmbeddingProviderFailureReason.BadRequest, "input too long"),
        };
        var secondary = new FakeEmbeddingGenerator("secondary", "m1");
        using var chain = new FallbackEmbeddingGenerator(
            [new("primary", primary), new("secondary", secondary)],
            new FallbackEmbeddingGeneratorOptions { CircuitBreakerMinimumThroughput = 2 },
            new FakeTimeProvider());

        for (var i = 0; i < 5; i++)
        {
            await chain.GenerateAsync(Inputs);
        }

        Assert.Equal(5, primary.Calls);
        Assert.Equal(5, secondary.Calls);
        Assert.Equal(CircuitState.Closed, chain.GetCircuitState("primary"));
    }

    [Fact]
    public void Constructor_NoProviders_Throws()
    {
        Assert.Throws<ArgumentException>(() => new FallbackEmbeddingGenerator([]));
    }

    [Fact]
    public void Constructor_DuplicateNames_ThrowsNamingTheIndex()
    {
        var ex = Assert.Throws<ArgumentException>(() => new FallbackEmbeddingGenerator([new("a", new FakeEmbeddingGenerator()), new("a", new FakeEmbeddingGenerator())]));
        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_DisposesEveryProvider()
    {
        var first = new FakeEmbeddingGenerator();
        var second = new FakeEmbeddingGenerator();
        var chain = new FallbackEmbeddingGenerator([new("first", first), new("second", second)]);

        chain.Dispose();

        Assert.True(first.Disposed);
        Assert.True(second.Disposed);
    }

    [Fact]
    public void GetService_Metadata_DescribesThePrimaryModel()
    {
        using var chain = new FallbackEmbeddingGenerator([new("primary", new FakeEmbeddingGenerator("primary", "m1", 16))]);

        var metadata = chain.GetService<EmbeddingGeneratorMetadata>();

        Assert.Equal("m1", metadata!.DefaultModelId);
        Assert.Equal(16, metadata.DefaultModelDimensions);
        Assert.Same(chain, chain.GetService<FallbackEmbeddingGenerator>());
    }

    private sealed class ShortAnsweringGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>([new Embedding<float>(new float[4])]));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
