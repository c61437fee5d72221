using Microsoft.Extensions.Time.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Tests.Local;

public sealed class LocalEmbeddingGeneratorTests
{
    private static float[] Embed(LocalEmbeddingGenerator generator, string text)
        => generator.GenerateAsync([text]).GetAwaiter().GetResult()[0].Vector.ToArray();

    private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();

    [Fact]
    public async Task GenerateAsync_SameTextTwoInstances_BitIdenticalVectors()
    {
        using var first = new LocalEmbeddingGenerator();
        using var second = new LocalEmbeddingGenerator(new LocalEmbeddingOptions());
        var a = await first.GenerateAsync(["The quick brown fox jumps over the lazy dog."]);
        var b = await second.GenerateAsync(["The quick brown fox jumps over the lazy dog."]);
        Assert.Equal(a[0].Vector.ToArray(), b[0].Vector.ToArray());
    }

    [Fact]
    public void GenerateAsync_KnownText_MatchesPinnedBuckets()
    {
        // Pins the hash so a change to the algorithm (which would silently invalidate saved indexes) fails here;
        // bump the model id when this has to change.
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { Dimensions = 16, UseCharacterNGrams = false, UseWordBigrams = false });
        float[] vector = Embed(generator, "cosmos");
        int bucket = Array.FindIndex(vector, v => v != 0f);
        Assert.Single(vector, v => v != 0f);
        Assert.Equal(NaiveFeatureHasher.Embed("cosmos", 16, bigrams: false, chars: false), vector);
        Assert.Equal(1f, Math.Abs(vector[bucket]), 6);
    }

    [Property(MaxTest = 40, Replay = "(20261123,5)", Arbitrary = [typeof(TextArbitraries)])]
    public bool Embed_RandomTexts_MatchesNaiveReferenceImplementation(WordText text)
    {
        using var generator = new LocalEmbeddingGenerator();
        float[] expected = NaiveFeatureHasher.Embed(text.Value, 384);
        float[] actual = Embed(generator, text.Value);
        return expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() < 1e-5f;
    }

    public sealed record WordText(string Value);

    public static class TextArbitraries
    {
        public static Arbitrary<WordText> Words()
        {
            Gen<string> words = Gen.Elements("alpha", "beta", "Gamma", "delta", "x", "IO", "naïve", "日本語", "ｈｅｌｌｏ", "e\u0301t\u00e9", "42", "don't");
            Gen<string> separators = Gen.Elements(" ", ", ", "  ", "\n", "--", ". ");
            return Gen.Choose(0, 150).SelectMany(n => Gen.ArrayOf(words.Zip(separators, (w, s) => w + s), n))
                .Select(parts => new WordText(string.Concat(parts)))
                .ToArbitrary();
        }
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("a")]
    [InlineData("Ünïcödé text with 日本語 and emoji 🚀")]
    public void GenerateAsync_AnyTextWithWords_UnitNorm(string text)
    {
        using var generator = new LocalEmbeddingGenerator();
        float[] vector = Embed(generator, text);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 5);
    }

    [Fact]
    public void GenerateAsync_SimilarTexts_CloserThanUnrelated()
    {
        using var generator = new LocalEmbeddingGenerator();
        float[] anchor = Embed(generator, "How do I reset my account password?");
        float[] similar = Embed(generator, "How can I reset the password of my account");
        float[] unrelated = Embed(generator, "Quarterly revenue grew in the European market");
        Assert.True(Dot(anchor, similar) > Dot(anchor, unrelated) + 0.3f, $"{Dot(anchor, similar)} vs {Dot(anchor, unrelated)}");
    }

    [Fact]
    public void GenerateAsync_InflectedWord_SharesCharacterNGrams()
    {
        using var generator = new LocalEmbeddingGenerator();
        float[] connect = Embed(generator, "connection");
        float[] connected = Embed(generator, "connected");
        float[] banana = Embed(generator, "banana");
        Assert.True(Dot(connect, connected) > 0.3f);
        Assert.True(Dot(connect, banana) < 0.15f);
    }

    [Fact]
    public void GenerateAsync_CasePunctuationAndWidth_Ignored()
    {
        using var generator = new LocalEmbeddingGenerator();
        Assert.Equal(Embed(generator, "hello world"), Embed(generator, "  HELLO,   World!! "));
        Assert.Equal(Embed(generator, "hello"), Embed(generator, "ｈｅｌｌｏ"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("?!, ...")]
    public void GenerateAsync_NoWords_ZeroVector(string text)
    {
        using var generator = new LocalEmbeddingGenerator();
        float[] vector = Embed(generator, text);
        Assert.Equal(384, vector.Length);
        Assert.All(vector, v => Assert.Equal(0f, v));
    }

    [Fact]
    public async Task GenerateAsync_ConfiguredAndRequestedDimensions_Respected()
    {
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { Dimensions = 64 });
        var configured = await generator.GenerateAsync(["some text"]);
        var requested = await generator.GenerateAsync(["some text"], new EmbeddingGenerationOptions { Dimensions = 1024 });
        Assert.Equal(64, configured[0].Dimensions);
        Assert.Equal(1024, requested[0].Dimensions);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 2 }));
    }

    [Fact]
    public async Task GenerateAsync_ManyInputs_OrderPreservedAndModelIdStamped()
    {
        var clock = new FakeTimeProvider();
        using var generator = new LocalEmbeddingGenerator(timeProvider: clock);
        string[] texts = ["first text", "second text", "", "fourth"];
        var result = await generator.GenerateAsync(texts, new EmbeddingGenerationOptions { ModelId = "some-other-model" });
        Assert.Equal(texts.Length, result.Count);
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(LocalEmbeddingGenerator.ModelId, result[i].ModelId);
            Assert.Equal(clock.GetUtcNow(), result[i].CreatedAt);
            Assert.Equal(Embed(generator, texts[i]), result[i].Vector.ToArray());
        }
    }

    [Fact]
    public void Embed_SpanApi_EqualsGenerateAsync()
    {
        using var generator = new LocalEmbeddingGenerator();
        string text = string.Concat(Enumerable.Repeat("long text that exceeds the stack buffer ", 40));
        float[] destination = new float[384];
        generator.Embed(text, destination);
        Assert.Equal(Embed(generator, text), destination);
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Embed("x", new float[4]));
    }

    [Fact]
    public async Task GenerateAsync_InvalidInputs_Throw()
    {
        using var generator = new LocalEmbeddingGenerator();
        await Assert.ThrowsAsync<ArgumentNullException>(() => generator.GenerateAsync(null!));
        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => generator.GenerateAsync(["ok", null!]));
        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(["a"], cancellationToken: cts.Token));
    }

    [Fact]
    public void GetService_Metadata_ReportsProviderModelAndDimensions()
    {
        using var generator = new LocalEmbeddingGenerator(new LocalEmbeddingOptions { Dimensions = 128 });
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal(LocalEmbeddingGenerator.ProviderName, metadata.ProviderName);
        Assert.Equal("cosmos-local-hash-v1", metadata.DefaultModelId);
        Assert.Equal(128, metadata.DefaultModelDimensions);
        Assert.Same(generator, generator.GetService<LocalEmbeddingGenerator>());
        Assert.Null(generator.GetService<LocalEmbeddingGenerator>("key"));
        Assert.Null(generator.GetService<string>());
    }

    [Theory]
    [InlineData(4, 3, 5, nameof(LocalEmbeddingOptions.Dimensions))]
    [InlineData(70_000, 3, 5, nameof(LocalEmbeddingOptions.Dimensions))]
    [InlineData(384, 0, 5, nameof(LocalEmbeddingOptions.MinCharacterNGram))]
    [InlineData(384, 3, 17, nameof(LocalEmbeddingOptions.MaxCharacterNGram))]
    [InlineData(384, 5, 3, nameof(LocalEmbeddingOptions.MinCharacterNGram))]
    public void Constructor_InvalidOptions_ThrowsNamingOption(int dimensions, int minN, int maxN, string option)
    {
        var options = new LocalEmbeddingOptions { Dimensions = dimensions, MinCharacterNGram = minN, MaxCharacterNGram = maxN };
        var ex = Assert.ThrowsAny<ArgumentException>(() => new LocalEmbeddingGenerator(options));
        Assert.Equal(option, ex.ParamName);
    }

    [Fact]
    public void Constructor_OptionsChangedLater_NoEffect()
    {
        var options = new LocalEmbeddingOptions { Dimensions = 32 };
        using var generator = new LocalEmbeddingGenerator(options);
        options.Dimensions = 4;
        Assert.Equal(32, generator.Dimensions);
        Assert.Equal(32, Embed(generator, "text").Length);
    }
}
