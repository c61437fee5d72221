using Cosmos.Embeddings.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Tests.Caching;

public sealed class CachingEmbeddingGeneratorTests
{
    [Fact]
    public async Task GenerateAsync_ReRun_CostsNoProviderCall()
    {
        var inner = new FakeEmbeddingGenerator();
        using var cache = new CachingEmbeddingGenerator(inner);
        string[] inputs = ["one", "two", "three"];

        var first = await cache.GenerateAsync(inputs);
        var second = await cache.GenerateAsync(inputs);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(3, inner.InputsSeen);
        Assert.Equal(first.Select(e => e.Vector.ToArray()), second.Select(e => e.Vector.ToArray()));
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public async Task GenerateAsync_PartlyCached_SendsOnlyTheMissesInOrder()
    {
        var inner = new FakeEmbeddingGenerator();
        using var cache = new CachingEmbeddingGenerator(inner);
        await cache.GenerateAsync(["b"]);

        var result = await cache.GenerateAsync(["a", "b", "c"]);

        Assert.Equal(["a", "c"], inner.Requests.Last());
        Assert.Equal(new[] { "a", "b", "c" }.Select(t => FakeEmbeddingGenerator.VectorFor(t, 4)), result.Select(e => e.Vector.ToArray()));
    }

    [Fact]
    public async Task GenerateAsync_DuplicatesWithinARequest_AreSentOnce()
    {
        var inner = new FakeEmbeddingGenerator();
        using var cache = new CachingEmbeddingGenerator(inner);

        var result = await cache.GenerateAsync(["a", "b", "a", "a"]);

        Assert.Equal(["a", "b"], Assert.Single(inner.Requests));
        Assert.Equal(4, result.Count);
        Assert.Equal(result[0].Vector.ToArray(), result[3].Vector.ToArray());
    }

    [Fact]
    public async Task GenerateAsync_BurstOfIdenticalRequests_CostsOneProviderCall()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inner = new FakeEmbeddingGenerator { Gate = gate };
        using var cache = new CachingEmbeddingGenerator(inner);
        string[] inputs = ["same", "text"];

        var burst = Enumerable.Range(0, 20).Select(_ => Task.Run(() => cache.GenerateAsync(inputs))).ToArray();
        while (inner.Calls == 0)
        {
            await Task.Yield();
        }

        gate.SetResult();
        var results = await Task.WhenAll(burst);

        Assert.Equal(1, inner.Calls);
        Assert.All(results, r => Assert.Equal(FakeEmbeddingGenerator.VectorFor("text", 4), r[1].Vector.ToArray()));
    }

    [Fact]
    public async Task GenerateAsync_KeyIncludesModelDimensionsAndInputType()
    {
        var inner = new FakeEmbeddingGenerator();
        using var cache = new CachingEmbeddingGenerator(inner);
        string[] inputs = ["text"];

        await cache.GenerateAsync(inputs);
        await cache.GenerateAsync(inputs, new EmbeddingGenerationOptions { Dimensions = 8 });
        await cache.GenerateAsync(inputs, new EmbeddingGenerationOptions { ModelId = "other" });
        await cache.GenerateAsync(inputs, new EmbeddingGenerationOptions { AdditionalProperties = new() { [EmbeddingPropertyNames.InputType] = "search_query" } });
        await cache.GenerateAsync(inputs, new EmbeddingGenerationOptions { AdditionalProperties = new() { [EmbeddingPropertyNames.InputType] = "search_document" } });
        Assert.Equal(5, inner.Calls);

        await cache.GenerateAsync(inputs, new EmbeddingGenerationOptions { AdditionalProperties = new() { [EmbeddingPropertyNames.InputType] = "search_query" } });
        await cache.GenerateAsync(inputs, new EmbeddingGenerationOptions { Dimensions = 8 });
        Assert.Equal(5, inner.Calls);
    }

    [Fact]
    public async Task GenerateAsync_SizeLimit_BoundsTheEntries()
    {
        var inner = new FakeEmbeddingGenerator();
        using var cache = new CachingEmbeddingGenerator(inner, new EmbeddingCacheOptions { SizeLimit = 3 });

        await cache.GenerateAsync([.. Enumerable.Range(0, 10).Select(i => $"t{i}")]);

        Assert.InRange(cache.Count, 1, 3);
    }

    [Fact]
    public async Task GenerateAsync_AnswerOfAnotherModel_IsReturnedButNotCached()
    {
        var primary = new FakeEmbeddingGenerator("primary", "big", 8) { Failure = _ => new HttpRequestException("refused") };
        var local = new FakeEmbeddingGenerator("local", "small", 4);
        using var chain = new FallbackEmbeddingGenerator(
            [new("primary", primary), new("local", local)],
            new FallbackEmbeddingGeneratorOptions { ModelMixing = ModelMixingPolicy.Tag });
        using var cache = new CachingEmbeddingGenerator(chain);

        var first = await cache.GenerateAsync(["x"]);
        primary.Failure = null;
        var second = await cache.GenerateAsync(["x"]);

        Assert.Equal("small", first[0].ModelId);
        Assert.Equal("big", second[0].ModelId);
        Assert.Equal(2, primary.Calls);
        Assert.Equal(1, local.Calls);
    }

    [Fact]
    public async Task GenerateAsync_InnerBatchFailure_MapsIndicesToThisRequestAndCachesTheSuccesses()
    {
        var inner = new FakeEmbeddingGenerator { Failure = batch => batch.Contains("bad") ? new HttpRequestException("rejected") : null };
        using var batching = new BatchingEmbeddingGenerator(inner, new EmbeddingBatchingOptions { MaxBatchSize = 2 });
        using var cache = new CachingEmbeddingGenerator(batching);
        await cache.GenerateAsync(["cached"]);
        var callsBefore = inner.Calls;

        // Misses sent down: ok1, ok2 | bad, ok3 → the second batch fails.
        var ex = await Assert.ThrowsAsync<EmbeddingBatchException>(() => cache.GenerateAsync(["cached", "ok1", "ok2", "bad", "cached", "ok3"]));

        Assert.Equal([3, 5], ex.FailedInputIndices);
        Assert.NotNull(ex.Embeddings[0]);
        Assert.NotNull(ex.Embeddings[4]);
        Assert.Null(ex.Embeddings[3]);
        Assert.Equal(callsBefore + 2, inner.Calls);

        await cache.GenerateAsync(["ok1", "ok2"]);
        Assert.Equal(callsBefore + 2, inner.Calls);
    }

    [Fact]
    public async Task GenerateAsync_InnerFailsOutright_RethrowsAndLetsTheNextCallRetry()
    {
        var inner = new FakeEmbeddingGenerator { Failure = _ => new InvalidOperationException("down") };
        using var cache = new CachingEmbeddingGenerator(inner);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GenerateAsync(["a"]));
        inner.Failure = null;
        var result = await cache.GenerateAsync(["a"]);

        Assert.Single(result);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task GenerateAsync_JoinedRequestCancelledByItsCaller_JoinerStillGetsItsAnswer()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inner = new FakeEmbeddingGenerator { Gate = gate };
        using var cache = new CachingEmbeddingGenerator(inner);
        using var ownerCts = new CancellationTokenSource();

        var owner = cache.GenerateAsync(["shared"], cancellationToken: ownerCts.Token);
        var joiner = cache.GenerateAsync(["shared"]);
        await ownerCts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => owner);
        gate.SetResult();

        var result = await joiner;
        Assert.Equal(FakeEmbeddingGenerator.VectorFor("shared", 4), result[0].Vector.ToArray());
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task GenerateAsync_Progress_CountsCacheHitsAsCompleted()
    {
        var inner = new FakeEmbeddingGenerator();
        using var batching = new BatchingEmbeddingGenerator(inner, new EmbeddingBatchingOptions { MaxBatchSize = 1, MaxConcurrency = 1 });
        using var cache = new CachingEmbeddingGenerator(batching);
        await cache.GenerateAsync(["a", "b"]);
        var progress = new RecordingProgress();

        await cache.GenerateWithProgressAsync(["a", "b", "c", "d"], progress);

        Assert.Equal(
            [new EmbeddingBatchProgress(2, 0, 4), new EmbeddingBatchProgress(3, 0, 4), new EmbeddingBatchProgress(4, 0, 4)],
            progress.Reports);

        var allCached = new RecordingProgress();
        await cache.GenerateWithProgressAsync(["a", "b"], allCached);
        Assert.Equal([new EmbeddingBatchProgress(2, 0, 2)], allCached.Reports);
    }

    [Fact]
    public async Task GenerateAsync_NullInput_ThrowsNamingItsIndexAndLeavesNothingInFlight()
    {
        var inner = new FakeEmbeddingGenerator();
        using var cache = new CachingEmbeddingGenerator(inner);

        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => cache.GenerateAsync(["a", null!]));
        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);

        // Had "a" been left registered as in flight, this call would wait forever.
        var result = await cache.GenerateAsync(["a"]).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Single(result);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public void Constructor_BadOptions_ThrowNamingTheOption()
    {
        var inner = new FakeEmbeddingGenerator();
        Assert.Equal("options.SizeLimit", Assert.Throws<ArgumentOutOfRangeException>(() => new CachingEmbeddingGenerator(inner, new EmbeddingCacheOptions { SizeLimit = 0 })).ParamName);
        Assert.Equal("options.TimeToLive", Assert.Throws<ArgumentOutOfRangeException>(() => new CachingEmbeddingGenerator(inner, new EmbeddingCacheOptions { TimeToLive = TimeSpan.Zero })).ParamName);
    }

    [Fact]
    public void CacheKey_DiffersForEveryField_AndIsStable()
    {
        var baseKey = EmbeddingCacheKey.Compute(EmbeddingCacheKey.CreatePrefix("m", 4, "q"), "text");

        Assert.Equal(baseKey, EmbeddingCacheKey.Compute(EmbeddingCacheKey.CreatePrefix("m", 4, "q"), "text"));
        Assert.NotEqual(baseKey, EmbeddingCacheKey.Compute(EmbeddingCacheKey.CreatePrefix("m2", 4, "q"), "text"));
        Assert.NotEqual(baseKey, EmbeddingCacheKey.Compute(EmbeddingCacheKey.CreatePrefix("m", 5, "q"), "text"));
        Assert.NotEqual(baseKey, EmbeddingCacheKey.Compute(EmbeddingCacheKey.CreatePrefix("m", 4, "d"), "text"));
        Assert.NotEqual(baseKey, EmbeddingCacheKey.Compute(EmbeddingCacheKey.CreatePrefix("m", 4, "q"), "text2"));

        // Field boundaries are length-prefixed, so shifting characters between fields changes the key.
        Assert.NotEqual(
            EmbeddingCacheKey.Compute(EmbeddingCacheKey.CreatePrefix("ab", null, null), "c"),
            EmbeddingCacheKey.Compute(EmbeddingCacheKey.CreatePrefix("a", null, null), "bc"));

        // Long texts go through the pooled buffer path.
        var longText = new string('é', 5000);
        Assert.Equal(EmbeddingCacheKey.Compute([], longText), EmbeddingCacheKey.Compute([], longText));
        Assert.NotEqual(EmbeddingCacheKey.Compute([], longText), EmbeddingCacheKey.Compute([], longText + "!"));
    }
}
