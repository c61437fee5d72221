using System.Diagnostics;
using System.Numerics.Tensors;
using Cosmos.Embeddings.Onnx.Telemetry;
using Cosmos.Embeddings.Onnx.Tests.Model;
using Cosmos.TestUtils;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Cosmos.Embeddings.Onnx.Tests;

public sealed class OnnxEmbeddingGeneratorTests : IClassFixture<MiniLmFixture>
{
    private readonly MiniLmFixture _fixture;

    public OnnxEmbeddingGeneratorTests(MiniLmFixture fixture) => _fixture = fixture;

    private OnnxEmbeddingGenerator Generator => _fixture.Generator;

    [Fact]
    public void Metadata_MiniLm_ReportsModelIdDimensionsAndSettings()
    {
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>()!;

        Assert.Equal(OnnxEmbeddingGenerator.ProviderName, metadata.ProviderName);
        Assert.Equal(MiniLmModelFiles.ModelId, metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal(384, Generator.Dimensions);
        Assert.Equal(256, Generator.MaxSequenceLength);
        Assert.Equal(OnnxPoolingMode.Mean, Generator.Pooling);
        Assert.True(Generator.Normalize);
        Assert.Same(Generator, Generator.GetService<OnnxEmbeddingGenerator>());
        Assert.Null(Generator.GetService<EmbeddingGeneratorMetadata>("key"));
    }

    [Fact]
    public async Task GenerateAsync_Inputs_ReturnsUnitVectorsInInputOrderStampedWithTheModel()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        using var generator = new OnnxEmbeddingGenerator(
            new OnnxEmbeddingOptions { ModelDirectory = MiniLmModelFiles.Directory, ModelId = MiniLmModelFiles.ModelId, MaxSequenceLength = 256 },
            timeProvider: clock);
        string[] inputs = ["a much longer sentence about circuit breakers and fallback providers", "short", "medium length text here"];

        var result = await generator.GenerateAsync(inputs);

        Assert.Equal(3, result.Count);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(MiniLmModelFiles.ModelId, result[i].ModelId);
            Assert.Equal(clock.GetUtcNow(), result[i].CreatedAt);
            Assert.Equal(1f, TensorPrimitives.Norm(result[i].Vector.Span), 4);
            var alone = await generator.GenerateAsync([inputs[i]]);
            Assert.True(TensorPrimitives.CosineSimilarity(alone[0].Vector.Span, result[i].Vector.Span) > 0.99999f, $"input {i} moved with its batch");
        }

        Assert.True(result.Usage!.InputTokenCount > 3);
    }

    [Fact]
    public async Task GenerateAsync_BatchesSmallerThanTheRequest_GiveTheSameVectorsAsOneBatch()
    {
        using var small = MiniLmFixture.CreateGenerator(inferenceBatchSize: 2);
        var inputs = Enumerable.Range(0, 9).Select(i => string.Join(' ', Enumerable.Repeat($"word{i}", 1 + (i * 5 % 7)))).ToArray();

        var batched = await small.GenerateAsync(inputs);
        var whole = await Generator.GenerateAsync(inputs);

        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.True(TensorPrimitives.CosineSimilarity(batched[i].Vector.Span, whole[i].Vector.Span) > 0.99999f, $"input {i}");
        }
    }

    [Fact]
    public async Task GenerateAsync_InputLongerThanTheSequence_IsTruncatedAndReportsItsTokenCount()
    {
        var longText = string.Join(' ', Enumerable.Repeat("resilient embeddings", 300));

        var result = await Generator.GenerateAsync(["short text", longText]);

        Assert.Null(result[0].AdditionalProperties);
        Assert.Equal(true, result[1].AdditionalProperties![EmbeddingPropertyNames.Truncated]);
        var count = Assert.IsType<int>(result[1].AdditionalProperties![EmbeddingPropertyNames.TokenCount]);
        Assert.Equal(Generator.CountTokens(longText), count);
        Assert.True(count > 256);

        // Truncation keeps the first 254 word pieces: any text sharing them embeds the same.
        var sameStart = await Generator.GenerateAsync([longText + " and a different ending that is cut off"]);
        Assert.True(TensorPrimitives.CosineSimilarity(sameStart[0].Vector.Span, result[1].Vector.Span) > 0.99999f);
    }

    [Fact]
    public async Task GenerateAsync_AccentsTabsAndCase_FollowHuggingFaceBertTokenization()
    {
        var result = await Generator.GenerateAsync(["Crème BRÛLÉE at the café", "creme brulee at the cafe", "tab\tnew\nline", "tab new line"]);

        Assert.True(TensorPrimitives.CosineSimilarity(result[0].Vector.Span, result[1].Vector.Span) > 0.99999f);
        Assert.True(TensorPrimitives.CosineSimilarity(result[2].Vector.Span, result[3].Vector.Span) > 0.99999f);
        Assert.Equal(5, Generator.CountTokens("東京tower")); // [CLS] 東 京 tower [SEP]: each CJK ideograph is a word of its own
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public async Task GenerateAsync_BlankInput_ThrowsNamingItsIndex(string blank)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Generator.GenerateAsync(["fine", "also fine", blank]));

        Assert.Equal("values", ex.ParamName);
        Assert.Contains("index 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_NullInput_ThrowsNamingItsIndex()
    {
        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => Generator.GenerateAsync(["fine", null!]));

        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_OtherDimensionsRequested_Throws()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 128 }));

        Assert.Equal("options", ex.ParamName);
    }

    [Fact]
    public async Task GenerateAsync_CancelledToken_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Generator.GenerateAsync(["x"], cancellationToken: cts.Token));
    }

    [Fact]
    public async Task GenerateAsync_ConcurrentCallers_ShareOneSessionAndGetTheirOwnVectors()
    {
        var inputs = Enumerable.Range(0, 16).Select(i => $"request number {i} about topic {i % 5}").ToArray();
        var expected = await Generator.GenerateAsync(inputs);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => Generator.GenerateAsync([inputs[i]]))));

        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.True(TensorPrimitives.CosineSimilarity(expected[i].Vector.Span, results[i][0].Vector.Span) > 0.99999f, $"caller {i}");
        }
    }

    [Fact]
    public async Task GenerateAsync_AfterDispose_Throws()
    {
        var generator = MiniLmFixture.CreateGenerator();
        generator.Dispose();
        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["x"]));
    }

    [Property(MaxTest = 40, Arbitrary = [typeof(TextArbitrary)])]
    public bool GenerateAsync_AnyNonBlankText_GivesAFiniteUnitVector(NonBlankText text)
    {
        var vector = Generator.GenerateAsync([text.Value]).GetAwaiter().GetResult()[0].Vector.Span;
        var norm = TensorPrimitives.Norm(vector);
        return vector.Length == 384 && float.IsFinite(norm) && Math.Abs(norm - 1f) < 1e-4f;
    }

    [Fact]
    public async Task Telemetry_Generate_RecordsEveryInstrumentAndTheSpan()
    {
        var meterFactory = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        // Scoped to this test's meter factory and parent span: other test classes run in parallel on the same names.
        using var collector = new MetricCollector(OnnxEmbeddingsTelemetry.MeterName, meterFactory);
        var spans = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OnnxEmbeddingsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var parent = new Activity("onnx-telemetry-test").Start();
        using var generator = new OnnxEmbeddingGenerator(
            new OnnxEmbeddingOptions { ModelDirectory = MiniLmModelFiles.Directory, MaxSequenceLength = 16 },
            meterFactory: meterFactory);

        await generator.GenerateAsync(["short", string.Join(' ', Enumerable.Repeat("long", 40))]);

        Assert.NotEmpty(collector.For(OnnxEmbeddingsTelemetry.InferenceDurationName));
        Assert.True(collector.Sum(OnnxEmbeddingsTelemetry.TokensName) >= 3 + 16);
        Assert.Equal(1, collector.Sum(OnnxEmbeddingsTelemetry.TruncatedInputsName));
        var span = Assert.Single(spans, s => s.OperationName == OnnxEmbeddingsTelemetry.GenerateActivityName && s.ParentId == parent.Id);
        Assert.Equal(2, span.GetTagItem("cosmos.embeddings.input_count"));
        Assert.Equal("Cosmos.Embeddings.Onnx", OnnxEmbeddingsTelemetry.MeterName);
        Assert.Equal("Cosmos.Embeddings.Onnx", OnnxEmbeddingsTelemetry.ActivitySourceName);
    }

    public sealed record NonBlankText(string Value);

    public static class TextArbitrary
    {
        public static Arbitrary<NonBlankText> NonBlank() =>
            ArbMap.Default.GeneratorFor<NonEmptyString>()
                .Where(s => !string.IsNullOrWhiteSpace(s.Get) && !s.Get.Contains('\0', StringComparison.Ordinal))
                .Select(s => new NonBlankText(s.Get))
                .ToArbitrary();
    }
}
