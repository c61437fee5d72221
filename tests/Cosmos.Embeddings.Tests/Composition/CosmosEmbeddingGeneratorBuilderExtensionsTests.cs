using System.Diagnostics;
using Cosmos.Embeddings.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Cosmos.Embeddings.Tests.Composition;

public sealed class CosmosEmbeddingGeneratorBuilderExtensionsTests
{
    [Fact]
    public async Task Build_CosmosStagesWithDistributedCache_FallBackReportProgressAndCacheAcrossLayers()
    {
        var primary = new FakeEmbeddingGenerator("primary") { Failure = _ => new HttpRequestException("down") };
        var backup = new FakeEmbeddingGenerator("backup");
        var distributed = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(primary)
            .UseDistributedCache(distributed)
            .UseCosmosCache()
            .UseCosmosBatching(o => o.MaxBatchSize = 2)
            .UseCosmosFallback(_ => [new FallbackProvider("backup", backup)])
            .Build(new ServiceCollection().BuildServiceProvider());
        var progress = new RecordingProgress();
        string[] inputs = ["a", "b", "c", "d", "e"];

        var first = await generator.GenerateWithProgressAsync(inputs, progress);

        Assert.Equal(5, first.Count);
        Assert.All(first, e => Assert.Equal("backup", e.AdditionalProperties![EmbeddingPropertyNames.Provider]));
        Assert.Equal(new EmbeddingBatchProgress(5, 0, 5), progress.Reports[^1]);
        Assert.Equal(3, backup.Calls);

        // The progress object rode in typed options, not in AdditionalProperties, so the distributed cache's key is the plain request's.
        var again = await generator.GenerateAsync(inputs);
        Assert.Equal(3, backup.Calls);
        Assert.Equal(first.Select(e => e.Vector.ToArray()), again.Select(e => e.Vector.ToArray()));
        Assert.NotNull(generator.GetService<FallbackEmbeddingGenerator>());
        Assert.NotNull(generator.GetService<BatchingEmbeddingGenerator>());
        Assert.NotNull(generator.GetService<CachingEmbeddingGenerator>());
    }

    [Fact]
    public async Task AddCosmosEmbeddings_ConfigureMiddleware_WrapsTheCosmosStagesWithOpenTelemetry()
    {
        const string Source = "Cosmos.Embeddings.Tests.Middleware";
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == Source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var services = new ServiceCollection()
            .AddCosmosEmbeddings(o => o.ConfigureMiddleware = b => b.UseOpenTelemetry(sourceName: Source))
            .BuildServiceProvider();
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        await generator.GenerateAsync(["one", "two"]);

        Assert.Single(spans);
        Assert.IsType<OpenTelemetryEmbeddingGenerator<string, Embedding<float>>>(generator);
        Assert.NotNull(generator.GetService<CachingEmbeddingGenerator>());
        Assert.NotNull(generator.GetService<BatchingEmbeddingGenerator>());
    }

    [Fact]
    public async Task UseCosmosCache_TimeProviderFromServices_ExpiresEntriesOnTheInjectedClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        var inner = new FakeEmbeddingGenerator();
        using var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner)
            .UseCosmosCache(o => o.TimeToLive = TimeSpan.FromHours(1))
            .Build(new ServiceCollection().AddSingleton<TimeProvider>(clock).BuildServiceProvider());

        await generator.GenerateAsync(["a"]);
        clock.Advance(TimeSpan.FromMinutes(59));
        await generator.GenerateAsync(["a"]);
        Assert.Equal(1, inner.Calls);

        clock.Advance(TimeSpan.FromMinutes(2));
        await generator.GenerateAsync(["a"]);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public void CosmosEmbeddingGenerationOptions_Clone_KeepsTheProgress()
    {
        var progress = new RecordingProgress();
        var options = new CosmosEmbeddingGenerationOptions { Progress = progress, Dimensions = 3 };

        var clone = Assert.IsType<CosmosEmbeddingGenerationOptions>(options.Clone());

        Assert.Same(progress, clone.Progress);
        Assert.Equal(3, clone.Dimensions);
    }
}
