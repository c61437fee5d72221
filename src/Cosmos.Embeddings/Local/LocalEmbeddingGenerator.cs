using Microsoft.Extensions.AI;

namespace Cosmos.Embeddings.Local;

/// <summary>
/// An offline embedding generator that needs no model download: deterministic feature hashing of word
/// unigrams, word bigrams and character n-grams, signed, with sub-linear term frequency and L2 normalisation.
/// </summary>
/// <remarks>
/// <para>The vectors are <b>lexical</b>: texts that share words, word pairs or word fragments are close; synonyms
/// and paraphrases with different words are not. Use it as an offline fallback, for tests, or for keyword-like
/// similarity, not as a substitute for a semantic model.</para>
/// <para>Feature <c>f</c> with term frequency <c>tf</c> adds <c>sign(f) · w(kind) · (1 + ln tf)</c> to bucket
/// <c>h(f) mod Dimensions</c>, where <c>h</c> is FNV-1a 64 over the feature's UTF-16 code units finalised with
/// MurmurHash3's mixer, and <c>w</c> is 1 for words and bigrams and 0.5 for character n-grams; the vector is then
/// divided by its L2 norm. Text is NFKC-normalised and lower-cased (invariant culture); any run of characters
/// other than letters, digits and combining marks separates words. Text without a letter or digit yields the
/// zero vector. The same text, options and version give the same vector in every process.</para>
/// <para>Thread-safe; <see cref="GenerateAsync"/> completes synchronously.</para>
/// </remarks>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model id stamped on every embedding this generator produces.</summary>
    public const string ModelId = "cosmos-local-hash-v1";

    /// <summary>The provider name reported in <see cref="EmbeddingGeneratorMetadata"/>; also the DI service key.</summary>
    public const string ProviderName = "cosmos-local";

    private readonly LocalEmbeddingOptions _options;
    private readonly TimeProvider? _timeProvider;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Creates a generator with the given settings.</summary>
    /// <param name="options">The settings; copied, so later changes have no effect. <see langword="null"/> uses the defaults.</param>
    /// <param name="timeProvider">Stamps <see cref="Embedding.CreatedAt"/> when given; otherwise it stays <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting in <paramref name="options"/> is out of range.</exception>
    /// <exception cref="ArgumentException">The n-gram bounds are reversed.</exception>
    public LocalEmbeddingGenerator(LocalEmbeddingOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options?.Clone() ?? new LocalEmbeddingOptions();
        _options.Validate();
        _timeProvider = timeProvider;
        _metadata = new EmbeddingGeneratorMetadata(ProviderName, providerUri: null, defaultModelId: ModelId, _options.Dimensions);
    }

    /// <summary>Gets the length of the vectors produced when a request does not ask for another dimension.</summary>
    public int Dimensions => _options.Dimensions;

    /// <summary>Generates one embedding per input, in input order.</summary>
    /// <param name="values">The texts to embed.</param>
    /// <param name="options">
    /// Optional; <see cref="EmbeddingGenerationOptions.Dimensions"/> overrides <see cref="Dimensions"/> for this call
    /// (feature hashing works at any width). <see cref="EmbeddingGenerationOptions.ModelId"/> is ignored: this
    /// generator has one model, and the returned <see cref="Embedding.ModelId"/> names it, so callers that mix
    /// providers can tell the vectors apart.
    /// </param>
    /// <param name="cancellationToken">Checked between inputs.</param>
    /// <returns>The embeddings, each with <see cref="Embedding.ModelId"/> set to <see cref="ModelId"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The requested dimension is outside [<see cref="LocalEmbeddingOptions.MinDimensions"/>, <see cref="LocalEmbeddingOptions.MaxDimensions"/>].</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        int dimensions = ResolveDimensions(options);
        DateTimeOffset? createdAt = _timeProvider?.GetUtcNow();

        var result = values is ICollection<string> collection
            ? new GeneratedEmbeddings<Embedding<float>>(collection.Count)
            : new GeneratedEmbeddings<Embedding<float>>();
        int index = 0;
        foreach (string value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (value is null)
            {
                throw new ArgumentNullException(nameof(values), $"The input at index {index} is null.");
            }

            float[] vector = new float[dimensions];
            LocalFeatureHasher.Embed(value, vector, _options);
            result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = createdAt });
            index++;
        }

        return Task.FromResult(result);
    }

    /// <summary>Writes the embedding of <paramref name="text"/> into <paramref name="destination"/> without allocating (for ASCII or already NFKC-normalised text).</summary>
    /// <param name="text">The text to embed.</param>
    /// <param name="destination">Receives the vector; its length is the dimension used and must be within [<see cref="LocalEmbeddingOptions.MinDimensions"/>, <see cref="LocalEmbeddingOptions.MaxDimensions"/>].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="destination"/> has a length outside the accepted range.</exception>
    public void Embed(ReadOnlySpan<char> text, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, LocalEmbeddingOptions.MinDimensions, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(destination.Length, LocalEmbeddingOptions.MaxDimensions, nameof(destination));
        LocalFeatureHasher.Embed(text, destination, _options);
    }

    /// <summary>Returns the <see cref="EmbeddingGeneratorMetadata"/>, this generator, or <see langword="null"/>.</summary>
    /// <param name="serviceType">The requested type.</param>
    /// <param name="serviceKey">Must be <see langword="null"/> for a non-null answer.</param>
    /// <returns>The service, or <see langword="null"/> when not available.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is <see langword="null"/>.</exception>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Does nothing: the generator holds no unmanaged resources.</summary>
    public void Dispose()
    {
    }

    private int ResolveDimensions(EmbeddingGenerationOptions? options)
    {
        if (options?.Dimensions is not int requested)
        {
            return _options.Dimensions;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(requested, LocalEmbeddingOptions.MinDimensions, "options.Dimensions");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(requested, LocalEmbeddingOptions.MaxDimensions, "options.Dimensions");
        return requested;
    }
}
