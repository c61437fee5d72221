using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace Cosmos.Embeddings.Caching;

/// <summary>Caches embeddings in a shared <see cref="IDistributedCache"/> (Redis, for instance), so every instance of a host
/// reuses a vector any of them paid for, and a restarted instance keeps them.</summary>
/// <remarks>
/// <para>Keys are <c>{prefix}:{model}:{dimensions}:{input type}:{hash}</c>: the request's model id, dimensions and
/// <see cref="EmbeddingPropertyNames.InputType"/> (or the inner generator's metadata defaults) and the SHA-256 of all four
/// fields and the text, so two models, sizes or input types never share an entry. Values are the raw little-endian float32
/// vector (<see cref="EmbeddingVectorSerializer"/>), not JSON.</para>
/// <para>Place it under the in-memory <see cref="CachingEmbeddingGenerator"/>, which coalesces duplicate requests:
/// <c>new CachingEmbeddingGenerator(new SharedCachingEmbeddingGenerator(provider, cache))</c>. The shared cache is an
/// optimisation: when it fails or times out, the lookup counts as a miss and the write is skipped, so embedding never
/// fails because of it. An answer whose model or dimensions differ from the key's (a fallback provider's) is returned but
/// not stored.</para>
/// </remarks>
public sealed class SharedCachingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly IDistributedCache _cache;
    private readonly DistributedCacheEntryOptions _entryOptions;
    private readonly string _prefix;
    private readonly string? _defaultModelId;
    private readonly int? _defaultDimensions;

    /// <summary>Creates the generator.</summary>
    /// <param name="innerGenerator">The generator asked for misses.</param>
    /// <param name="cache">The shared cache.</param>
    /// <param name="timeToLive">How long an entry lives; <see langword="null"/> for no expiry.</param>
    /// <param name="keyPrefix">The prefix of every key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> or <paramref name="cache"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeToLive"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="keyPrefix"/> is empty.</exception>
    public SharedCachingEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> innerGenerator,
        IDistributedCache cache,
        TimeSpan? timeToLive = null,
        string keyPrefix = "cosmos:embedding")
        : base(innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        if (timeToLive is { } ttl)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero, nameof(timeToLive));
        }

        _cache = cache;
        _entryOptions = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = timeToLive };
        _prefix = keyPrefix;
        var metadata = innerGenerator.GetService<EmbeddingGeneratorMetadata>();
        _defaultModelId = metadata?.DefaultModelId;
        _defaultDimensions = metadata?.DefaultModelDimensions;
    }

    /// <summary>The shared cache's key for one input.</summary>
    /// <param name="text">The input text.</param>
    /// <param name="modelId">The model id.</param>
    /// <param name="dimensions">The requested dimensions.</param>
    /// <param name="inputType">The input type (query, document, ...).</param>
    /// <param name="keyPrefix">The key prefix.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="keyPrefix"/> is <see langword="null"/>.</exception>
    public static string CreateKey(string text, string? modelId, int? dimensions, string? inputType, string keyPrefix = "cosmos:embedding")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        var hash = EmbeddingCacheKey.Compute(EmbeddingCacheKey.CreatePrefix(modelId, dimensions, inputType), text);
        return string.Create(CultureInfo.InvariantCulture,
            $"{keyPrefix}:{Uri.EscapeDataString(modelId ?? string.Empty)}:{dimensions}:{Uri.EscapeDataString(inputType ?? string.Empty)}:{hash.A:x16}{hash.B:x16}{hash.C:x16}{hash.D:x16}");
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/> or holds <see langword="null"/>.</exception>
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        var modelId = options?.ModelId ?? _defaultModelId;
        var dimensions = options?.Dimensions ?? _defaultDimensions;
        string? inputType = null;
        if (options?.AdditionalProperties is { } properties && properties.TryGetValue(EmbeddingPropertyNames.InputType, out var inputTypeValue))
        {
            inputType = inputTypeValue?.ToString();
        }

        var keys = new string[inputs.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            if (inputs[i] is null)
            {
                throw new ArgumentNullException(nameof(values), $"The input at index {i} is null.");
            }

            keys[i] = CreateKey(inputs[i], modelId, dimensions, inputType, _prefix);
        }

        var lookups = new Task<byte[]?>[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            lookups[i] = TryGetAsync(keys[i], cancellationToken);
        }

        await Task.WhenAll(lookups).ConfigureAwait(false);
        var results = new Embedding<float>[keys.Length];
        List<int>? missing = null;
        for (var i = 0; i < keys.Length; i++)
        {
            var bytes = lookups[i].Result;
            if (bytes is not null && bytes.Length % sizeof(float) == 0 && (dimensions is null || bytes.Length == dimensions * sizeof(float)) && bytes.Length > 0)
            {
                results[i] = new Embedding<float>(EmbeddingVectorSerializer.Deserialize(bytes)) { ModelId = modelId };
            }
            else
            {
                (missing ??= []).Add(i);
            }
        }

        if (missing is not null)
        {
            var texts = new string[missing.Count];
            for (var k = 0; k < texts.Length; k++)
            {
                texts[k] = inputs[missing[k]];
            }

            var generated = await InnerGenerator.GenerateAsync(texts, options, cancellationToken).ConfigureAwait(false);
            if (generated is null || generated.Count != texts.Length)
            {
                throw new InvalidDataException($"The embedding generator returned {generated?.Count ?? 0} embeddings for {texts.Length} inputs.");
            }

            var writes = new List<Task>(texts.Length);
            for (var k = 0; k < texts.Length; k++)
            {
                var embedding = generated[k];
                results[missing[k]] = embedding;
                var vector = embedding.Vector.Span;
                if ((embedding.ModelId is null || modelId is null || embedding.ModelId == modelId) && (dimensions is null || vector.Length == dimensions) && vector.Length > 0)
                {
                    writes.Add(TrySetAsync(keys[missing[k]], EmbeddingVectorSerializer.Serialize(vector), cancellationToken));
                }
            }

            await Task.WhenAll(writes).ConfigureAwait(false);
        }

        return [.. results];
    }

    private async Task<byte[]?> TryGetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _cache.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The shared cache is an optimisation: any failure is a miss.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private async Task TrySetAsync(string key, byte[] value, CancellationToken cancellationToken)
    {
        try
        {
            await _cache.SetAsync(key, value, _entryOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The shared cache is an optimisation: a failed write is skipped.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
