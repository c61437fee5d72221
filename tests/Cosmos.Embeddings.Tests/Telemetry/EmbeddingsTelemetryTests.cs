using System.Diagnostics;
using Cosmos.Embeddings.Telemetry;
using Cosmos.Embeddings.Tests.Fakes;
using Cosmos.TestUtils;

namespace Cosmos.Embeddings.Tests.Telemetry;

public sealed class EmbeddingsTelemetryTests
{
    [Fact]
    public void Names_AreThePackagesDottedNames()
    {
        Assert.Equal("Cosmos.Embeddings", EmbeddingsTelemetry.MeterName);
        Assert.Equal("Cosmos.Embeddings", EmbeddingsTelemetry.ActivitySourceName);
        Assert.Equal("cosmos.embeddings.provider.duration", EmbeddingsTelemetry.ProviderDurationName);
        Assert.Equal("cosmos.embeddings.batch.size", EmbeddingsTelemetry.BatchSizeName);
        Assert.Equal("cosmos.embeddings.errors", EmbeddingsTelemetry.ErrorsName);
        Assert.Equal("cosmos.embeddings.provider.request", EmbeddingsTelemetry.ProviderRequestActivityName);
        Assert.Equal("cosmos.embeddings.fallback.hop", EmbeddingsTelemetry.FallbackHopActivityName);
    }

    [Fact]
    public async Task Pipeline_FallbackAfterAFailure_EmitsEveryInstrumentAndBothSpans()
    {
        var factory = TestMeters.CreateFactory();
        using var collector = new MetricCollector(EmbeddingsTelemetry.MeterName, factory);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == EmbeddingsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) { spans.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        var primary = new FakeEmbeddingGenerator("primary", "m") { Failure = _ => new TimeoutException("slow") };
        var secondary = new FakeEmbeddingGenerator("secondary", "m");
        using var chain = new FallbackEmbeddingGenerator([new("primary", primary), new("secondary", secondary)], meterFactory: factory);
        using var batching = new BatchingEmbeddingGenerator(chain, meterFactory: factory);

        await batching.GenerateAsync(["a", "b"]);

        Assert.NotEmpty(collector.For(EmbeddingsTelemetry.ProviderDurationName));
        Assert.NotEmpty(collector.For(EmbeddingsTelemetry.BatchSizeName));
        Assert.Equal("timeout", Assert.Single(collector.For(EmbeddingsTelemetry.ErrorsName)).Tags["reason"]);
        var request = Assert.Single(spans, s => s.OperationName == EmbeddingsTelemetry.ProviderRequestActivityName && (string?)s.GetTagItem("cosmos.embeddings.provider") == "primary");
        Assert.Equal(ActivityStatusCode.Error, request.Status);
        var hop = Assert.Single(spans, s => s.OperationName == EmbeddingsTelemetry.FallbackHopActivityName && (string?)s.GetTagItem("cosmos.embeddings.provider") == "secondary");
        Assert.Equal("timeout", hop.GetTagItem("cosmos.embeddings.fallback.reason"));
        Assert.Equal("success", hop.GetTagItem("cosmos.embeddings.outcome"));
    }
}
