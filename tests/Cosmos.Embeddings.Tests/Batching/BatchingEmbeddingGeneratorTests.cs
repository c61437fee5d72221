using Cosmos.Embeddings.Providers;
using Cosmos.Embeddings.Telemetry;
using Cosmos.Embeddings.Tests.Fakes;
using Cosmos.TestUtils;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FsCheck;
using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Tests.Batching;

public sealed class BatchingEmbeddingGeneratorTests
{

    private static string[] Texts(int count) => [.. Enumerable.Range(0, count).Select(i => $"text {i} " + new string('x', i % 23))];

    [Property(MaxTest = 100, Replay = "(20261123,17)", Arbitrary = [typeof(BatchArbitraries)])]
    public void Split_AnySizesAndLimits_CoversInputsInOrderWithinLimits(SplitCase c)
    {
        var (textLengths, maxItems, maxTokens) = (c.TextLengths, c.MaxItems, c.MaxTokens);
        var inputs = textLengths.Select(n => new string('a', n)).ToArray();
        var batches = BatchingEmbeddingGenerator.Split(inputs, maxItems, maxTokens, EmbeddingProviderLimits.EstimateTokens);

        var next = 0;
        for (var b = 0; b < batches.Count; b++)
        {
            var (start, count) = batches[b];
            Assert.Equal(next, start);
            Assert.InRange(count, 1, maxItems);
            var tokens = inputs.Skip(start).Take(count).Sum(EmbeddingProviderLimits.EstimateTokens);
            Assert.True(count == 1 || tokens <= maxTokens, $"batch {b} has {tokens} tokens > {maxTokens}");

            // Greedy: the next input would not have fit, so no batch is split early.
            if (b < batches.Count - 1)
            {
                var following = EmbeddingProviderLimits.EstimateTokens(inputs[start + count]);
                Assert.True(count == maxItems || tokens + following > maxTokens, $"batch {b} closed early");
            }

            next = start + count;
        }

        Assert.Equal(inputs.Length, next);
    }

    [Property(MaxTest = 100, Replay = "(20261123,17)", Arbitrary = [typeof(BatchArbitraries)])]
    public void GenerateAsync_AnySizesAndLimits_PreservesOrderAndRespectsLimits(BatchRunCase c)
    {
        var (count, maxItems, concurrency) = (c.Count, c.MaxItems, c.Concurrency);
        var inner = new FakeEmbeddingGenerator { YieldFirst = true };
        using var batching = new BatchingEmbeddingGenerator(inner, new EmbeddingBatchingOptions { MaxBatchSize = maxItems, MaxConcurrency = concurrency });
        var inputs = Texts(count);

        var result = batching.GenerateAsync(inputs).GetAwaiter().GetResult();

        Assert.Equal(count, result.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(FakeEmbeddingGenerator.VectorFor(inputs[i], 4), result[i].Vector.ToArray());
        }

        Assert.All(inner.Requests, r => Assert.InRange(r.Length, 1, maxItems));
        Assert.Equal((count + maxItems - 1) / maxItems, inner.Calls);
        Assert.InRange(inner.MaxConcurrent, 0, concurrency);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t")]
    public async Task GenerateAsync_BlankInputInALaterBatch_IsRefusedBeforeAnyRequest(string blank)
    {
        var inner = new FakeEmbeddingGenerator();
        using var batching = new BatchingEmbeddingGenerator(inner, new EmbeddingBatchingOptions { MaxBatchSize = 2 });
        string[] inputs = ["a", "b", "c", "d", blank, "f"];

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => batching.GenerateAsync(inputs));

        Assert.Equal("values", ex.ParamName);
        Assert.Contains("index 4", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task GenerateAsync_TokenBudget_SplitsByEstimatedTokens()
    {
        var inner = new FakeEmbeddingGenerator();
        using var batching = new BatchingEmbeddingGenerator(inner, new EmbeddingBatchingOptions { MaxBatchSize = 100, MaxBatchTokens = 10, MaxConcurrency = 1 });

        // 12 bytes = 4 estimated tokens each: two fit in 10 tokens, three do not.
        await batching.GenerateAsync(Enumerable.Repeat(new string('z', 12), 5).ToArray());

        Assert.Equal([2, 2, 1], inner.Requests.Select(r => r.Length));
    }

    [Fact]
    public async Task GenerateAsync_CustomEstimator_IsUsed()
    {
        var inner = new FakeEmbeddingGenerator();
        using var batching = new BatchingEmbeddingGenerator(inner, new EmbeddingBatchingOptions { MaxBatchTokens = 3, TokenEstimator = _ => 1, MaxConcurrency = 1 });

        await batching.GenerateAsync(Texts(7));

        Assert.Equal([3, 3, 1], inner.Requests.Select(r => r.Length));
    }

    [Fact]
    public void Constructor_DefaultEstimator_IsTheProvidersOwn()
    {
        // The providers refuse requests over budget by this estimate, so batching must not estimate lower.
        Assert.Equal(EmbeddingProviderLimits.EstimateTokens("日本語のテキスト"), new EmbeddingBatchingOptions().TokenEstimator("日本語のテキスト"));
    }

    [Fact]
    public void Constructor_ChainProviderLimitsFromGenerators_LowerTheBatchLimits()
    {
        var openai = new LimitedGenerator(new EmbeddingProviderLimits(2048, 300_000));
        var cohere = new LimitedGenerator(new EmbeddingProviderLimits(96));
        using var chain = new FallbackEmbeddingGenerator([new("openai", openai), new("cohere", cohere)]);
        using var batching = new BatchingEmbeddingGenerator(chain, new EmbeddingBatchingOptions { MaxBatchSize = 100 });

        Assert.Equal(96, batching.MaxBatchSize);
        Assert.Equal(300_000, batching.MaxBatchTokens);
    }

    [Fact]
    public async Task Constructor_ChainProviderLimits_LowerTheBatchLimits()
    {
        var primary = new FakeEmbeddingGenerator("primary");
        var cohere = new FakeEmbeddingGenerator("cohere");
        using var chain = new FallbackEmbeddingGenerator(
        [
            new("primary", primary) { MaxInputsPerRequest = 2048, MaxTokensPerRequest = 300_000 },
            new("cohere", cohere) { MaxInputsPerRequest = 96 },
        ]);
        using var batching = new BatchingEmbeddingGenerator(chain, new EmbeddingBatchingOptions { MaxBatchSize = 100 });

        Assert.Equal(96, batching.MaxBatchSize);
        Assert.Equal(300_000, batching.MaxBatchTokens);
        await batching.GenerateAsync(Texts(200));
        Assert.Equal([8, 96, 96], primary.Requests.Select(r => r.Length).Order());
    }

    [Fact]
    public async Task GenerateAsync_Progress_ReportsAddUpToTotal()
    {
        var inner = new FakeEmbeddingGenerator { YieldFirst = true };
        using var batching = new BatchingEmbeddingGenerator(inner, new EmbeddingBatchingOptions { MaxBatchSize = 7, MaxConcurrency = 3 });
        var progress = new RecordingProgress();

        await batching.GenerateWithProgressAsync(Texts(50), progress);

        var reports = progress.Reports;
        Assert.Equal(new EmbeddingBatchProgress(0, 0, 50), reports[0]);
        Assert.Equal(new EmbeddingBatchProgress(50, 0, 50), reports[^1]);
        Assert.Equal(1 + 8, reports.Count);
        for (var i = 1; i < reports.Count; i++)
        {
            Assert.True(reports[i].Completed > reports[i - 1].Completed);
            Assert.Equal(50, reports[i].Total);
        }
    }

    [Fact]
    public async Task GenerateAsync_Progress_IsNotPassedToTheProvider()
    {
        EmbeddingGenerationOptions? seen = null;
        var inner = new OptionsCapturingGenerator(o => seen = o);
        using var batching = new BatchingEmbeddingGenerator(inner);

        await batching.GenerateWithProgressAsync(["a"], new RecordingProgress(), new EmbeddingGenerationOptions { Dimensions = 4 });

        Assert.NotNull(seen);
        Assert.Equal(4, seen!.Dimensions);
        Assert.Null((seen as CosmosEmbeddingGenerationOptions)?.Progress);
        Assert.Null(seen.AdditionalProperties);
    }

    [Fact]
    public async Task GenerateAsync_SomeBatchesFail_ReportsFailedInputsAndKeepsTheRest()
    {
        var inner = new FakeEmbeddingGenerator
        {
            Failure = batch => batch.Contains("bad") ? new HttpRequestException("rejected") : null,
        };
        using var batching = new BatchingEmbeddingGenerator(inner, new EmbeddingBatchingOptions { MaxBatchSize = 4, MaxConcurrency = 2 });
        var inputs = Texts(12);
        inputs[5] = "bad";
        inputs[9] = "bad";
        var progress = new RecordingProgress();

        var ex = await Assert.ThrowsAsync<EmbeddingBatchException>(() => batching.GenerateWithProgressAsync(inputs, progress));

        Assert.Equal([4, 5, 6, 7, 8, 9, 10, 11], ex.FailedInputIndices);
        Assert.Equal(12, ex.Embeddings.Count);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(FakeEmbeddingGenerator.VectorFor(inputs[i], 4), ex.Embeddings[i]!.Vector.ToArray());
        }

        Assert.All(ex.FailedInputIndices, i => Assert.Null(ex.Embeddings[i]));
        Assert.Equal(2, ((AggregateException)ex.InnerException!).InnerExceptions.Count);
        Assert.Equal(new EmbeddingBatchProgress(4, 8, 12), progress.Reports[^1]);
    }

    [Fact]
    public async Task GenerateAsync_SingleBatchFails_ReportsEveryInput()
    {
        var inner = new FakeEmbeddingGenerator { Failure = _ => new InvalidOperationException("down") };
        using var batching = new BatchingEmbeddingGenerator(inner);

        var ex = await Assert.ThrowsAsync<EmbeddingBatchException>(() => batching.GenerateAsync(["a", "b", "c"]));

        Assert.Equal([0, 1, 2], ex.FailedInputIndices);
        Assert.IsType<InvalidOperationException>(Assert.Single(((AggregateException)ex.InnerException!).InnerExceptions));
    }

    [Fact]
    public async Task GenerateAsync_Cancelled_StopsSendingBatches()
    {
        var gate = new TaskCompletionSource();
        var inner = new FakeEmbeddingGenerator { Gate = gate };
        using var batching = new BatchingEmbeddingGenerator(inner, new EmbeddingBatchingOptions { MaxBatchSize = 1, MaxConcurrency = 2 });
        using var cts = new CancellationTokenSource();

        var call = batching.GenerateAsync(Texts(20), cancellationToken: cts.Token);
        await cts.CancelAsync();
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.InRange(inner.Calls, 0, 2);
    }

    [Fact]
    public async Task GenerateAsync_NoInputs_ReturnsEmptyWithoutCalling()
    {
        var inner = new FakeEmbeddingGenerator();
        using var batching = new BatchingEmbeddingGenerator(inner);

        var result = await batching.GenerateAsync([]);

        Assert.Empty(result);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task GenerateAsync_RecordsBatchSizes()
    {
        var factory = TestMeters.CreateFactory();
        using var collector = new MetricCollector("Cosmos.Embeddings", factory);
        using var batching = new BatchingEmbeddingGenerator(new FakeEmbeddingGenerator(), new EmbeddingBatchingOptions { MaxBatchSize = 4, MaxConcurrency = 1 }, meterFactory: factory);

        await batching.GenerateAsync(Texts(10));

        Assert.Equal([4.0, 4.0, 2.0], collector.For(EmbeddingsTelemetry.BatchSizeName).Select(m => m.Value));
    }

    [Fact]
    public void Constructor_BadLimits_ThrowNamingTheOption()
    {
        var inner = new FakeEmbeddingGenerator();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchingEmbeddingGenerator(inner, new EmbeddingBatchingOptions { MaxBatchSize = 0 }));
        Assert.Equal("options.MaxBatchSize", ex.ParamName);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchingEmbeddingGenerator(inner, new EmbeddingBatchingOptions { MaxConcurrency = 0 }));
        Assert.Equal("options.MaxConcurrency", ex.ParamName);
    }

    private sealed class LimitedGenerator(EmbeddingProviderLimits limits) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[4]))));

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType == typeof(EmbeddingProviderLimits) ? limits : null;

        public void Dispose()
        {
        }
    }

    private sealed class OptionsCapturingGenerator(Action<EmbeddingGenerationOptions?> capture) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            capture(options);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[4]))));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    public sealed record SplitCase(int[] TextLengths, int MaxItems, int MaxTokens);

    public sealed record BatchRunCase(int Count, int MaxItems, int Concurrency);

    public static class BatchArbitraries
    {
        public static Arbitrary<SplitCase> Splits() =>
            Gen.Choose(0, 60).ArrayOf().SelectMany(lengths => Gen.Choose(1, 40).SelectMany(items => Gen.Choose(1, 60).Select(tokens => new SplitCase(lengths, items, tokens)))).ToArbitrary();

        public static Arbitrary<BatchRunCase> Runs() =>
            Gen.Choose(0, 300).SelectMany(count => Gen.Choose(1, 64).SelectMany(items => Gen.Choose(1, 8).Select(concurrency => new BatchRunCase(count, items, concurrency)))).ToArbitrary();
    }
}
