using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;

namespace Cosmos.Embeddings.Caching;

/// <summary>
/// Caches embeddings in a size-limited <see cref="MemoryCache"/> keyed by the SHA-256 of (model id, dimensions, input type, text),
/// and coalesces identical in-flight requests: a re-run costs no provider call and a burst of duplicates costs one.
/// </summary>
/// <remarks>
/// <para>The model id and dimensions of the key are the request's (<see cref="EmbeddingGenerationOptions.ModelId"/>,
/// <see cref="EmbeddingGenerationOptions.Dimensions"/>) or else the inner generator's metadata defaults; the input type is the
/// <see cref="EmbeddingPropertyNames.InputType"/> option. An embedding whose model or dimension differs from the key's (a tagged
/// fallback answer) is returned but not cached, so the cache never serves another model's vector for the requested one.</para>
/// <para>Only the missing inputs go to the inner generator, in one request. When the inner generator reports an
/// <see cref="EmbeddingBatchException"/>, the successes are cached and the exception is re-thrown with positions of this request.
/// A request that joined another's in-flight call and sees it fail gets an <see cref="EmbeddingBatchException"/> naming those inputs;
/// if that call was cancelled by its own caller, the joiner asks the inner generator itself.</para>
/// </remarks>
public sealed class CachingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly MemoryCache _cache;
    private readonly TimeSpan? _timeToLive;
    private readonly ConcurrentDictionary<EmbeddingCacheKey, TaskCompletionSource<Embedding<float>>> _inFlight = new();
    private readonly string? _defaultModelId;
    private readonly int? _defaultDimensions;

    /// <summary>Creates a caching generator over <paramref name="innerGenerator"/> with its own memory cache.</summary>
    /// <param name="innerGenerator">The generator asked for cache misses.</param>
    /// <param name="options">Size limit and time to live; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock entries expire by; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="EmbeddingCacheOptions.SizeLimit"/> is below 1 or <see cref="EmbeddingCacheOptions.TimeToLive"/> is not positive.</exception>
    public CachingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, EmbeddingCacheOptions? options = null, TimeProvider? timeProvider = null)
        : base(innerGenerator)
    {
        options ??= new EmbeddingCacheOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SizeLimit, 1, "options.SizeLimit");
        if (options.TimeToLive is { } ttl)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero, "options.TimeToLive");
        }

        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.SizeLimit, Clock = new TimeProviderClock(timeProvider ?? TimeProvider.System) });
        _timeToLive = options.TimeToLive;
        var metadata = innerGenerator.GetService<EmbeddingGeneratorMetadata>();
        _defaultModelId = metadata?.DefaultModelId;
        _defaultDimensions = metadata?.DefaultModelDimensions;
    }

    /// <summary>The number of embeddings currently cached.</summary>
    public long Count => _cache.Count;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/> or holds <see langword="null"/>.</exception>
    /// <exception cref="EmbeddingBatchException">Some inputs failed; the exception names them by position in this request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        var count = inputs.Count;
        var modelId = options?.ModelId ?? _defaultModelId;
        var dimensions = options?.Dimensions ?? _defaultDimensions;
        string? inputType = null;
        if (options?.AdditionalProperties is { } properties && properties.TryGetValue(EmbeddingPropertyNames.InputType, out var inputTypeValue))
        {
            inputType = inputTypeValue?.ToString();
        }

        for (var i = 0; i < count; i++)
        {
            // Checked before any in-flight entry is registered, so a bad input can never strand one.
            if (inputs[i] is null)
            {
                throw new ArgumentNullException(nameof(values), $"The input at index {i} is null.");
            }
        }

        var prefix = EmbeddingCacheKey.CreatePrefix(modelId, dimensions, inputType);
        var results = new Embedding<float>?[count];
        var keys = new EmbeddingCacheKey[count];
        var hits = 0;
        List<int>? owned = null;
        List<(int Index, Task<Embedding<float>> Task)>? joined = null;
        List<(int Index, int Source)>? duplicates = null;
        Dictionary<EmbeddingCacheKey, int>? firstIndexByKey = null;

        for (var i = 0; i < count; i++)
        {
            var key = EmbeddingCacheKey.Compute(prefix, inputs[i]);
            keys[i] = key;
            if (_cache.TryGetValue(key, out Embedding<float>? cached) && cached is not null)
            {
                results[i] = cached;
                hits++;
                continue;
            }

            firstIndexByKey ??= [];
            if (firstIndexByKey.TryGetValue(key, out var first))
            {
                (duplicates ??= []).Add((i, first));
                continue;
            }

            firstIndexByKey[key] = i;
            var source = new TaskCompletionSource<Embedding<float>>(TaskCreationOptions.RunContinuationsAsynchronously);
            while (true)
            {
                if (_inFlight.TryAdd(key, source))
                {
                    // Re-check: another request may have stored the value and left the in-flight map just before we added.
                    if (_cache.TryGetValue(key, out cached) && cached is not null)
                    {
                        _inFlight.TryRemove(new KeyValuePair<EmbeddingCacheKey, TaskCompletionSource<Embedding<float>>>(key, source));
                        source.TrySetResult(cached);
                        results[i] = cached;
                        hits++;
                    }
                    else
                    {
                        (owned ??= []).Add(i);
                    }

                    break;
                }

                if (_inFlight.TryGetValue(key, out var existing))
                {
                    (joined ??= []).Add((i, existing.Task));
                    break;
                }
            }
        }

        var progress = EmbeddingGeneratorProgressExtensions.GetProgress(options);
        OffsetProgress? innerProgress = null;
        List<int>? failed = null;
        List<Exception>? failures = null;

        if (owned is not null)
        {
            innerProgress = progress is null ? null : new OffsetProgress(progress, hits, count);
            var innerOptions = EmbeddingGeneratorProgressExtensions.WithProgress(options, innerProgress);
            var missing = new string[owned.Count];
            for (var k = 0; k < owned.Count; k++)
            {
                missing[k] = inputs[owned[k]];
            }

            try
            {
                var generated = await InnerGenerator.GenerateAsync(missing, innerOptions, cancellationToken).ConfigureAwait(false);
                if (generated is null || generated.Count != missing.Length)
                {
                    throw new InvalidDataException($"The embedding generator returned {generated?.Count ?? 0} embeddings for {missing.Length} inputs.");
                }

                for (var k = 0; k < owned.Count; k++)
                {
                    Complete(keys[owned[k]], generated[k], modelId, dimensions);
                    results[owned[k]] = generated[k];
                }
            }
            catch (EmbeddingBatchException batchException)
            {
                for (var k = 0; k < owned.Count; k++)
                {
                    var embedding = k < batchException.Embeddings.Count ? batchException.Embeddings[k] : null;
                    if (embedding is not null)
                    {
                        Complete(keys[owned[k]], embedding, modelId, dimensions);
                        results[owned[k]] = embedding;
                    }
                    else
                    {
                        Fail(keys[owned[k]], batchException.InnerException ?? batchException);
                        (failed ??= []).Add(owned[k]);
                    }
                }

                AddFailure(ref failures, batchException.InnerException ?? batchException);
            }
            catch (Exception ex)
            {
                foreach (var index in owned)
                {
                    Fail(keys[index], ex);
                }

                ExceptionDispatchInfo.Throw(ex);
            }
        }

        if (joined is not null)
        {
            List<int>? retry = null;
            foreach (var (index, task) in joined)
            {
                try
                {
                    results[index] = await task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The request we joined was cancelled by its own caller; that must not fail ours.
                    (retry ??= []).Add(index);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    (failed ??= []).Add(index);
                    AddFailure(ref failures, ex);
                }
            }

            if (retry is not null)
            {
                var retried = await InnerGenerator.GenerateAsync(
                    retry.Select(i => inputs[i]).ToArray(),
                    EmbeddingGeneratorProgressExtensions.WithProgress(options, null),
                    cancellationToken).ConfigureAwait(false);
                for (var k = 0; k < retry.Count; k++)
                {
                    results[retry[k]] = retried[k];
                    Store(keys[retry[k]], retried[k], modelId, dimensions);
                }
            }
        }

        if (duplicates is not null)
        {
            foreach (var (index, source) in duplicates)
            {
                results[index] = results[source];
                if (results[source] is null)
                {
                    (failed ??= []).Add(index);
                }
            }
        }

        if (failed is not null)
        {
            failed.Sort();
            ReportFinal(progress, innerProgress, new EmbeddingBatchProgress(count - failed.Count, failed.Count, count));
            throw new EmbeddingBatchException(
                $"{failed.Count} of {count} inputs failed; see FailedInputIndices and InnerException.",
                new AggregateException(failures ?? []))
            {
                FailedInputIndices = failed,
                Embeddings = results,
            };
        }

        ReportFinal(progress, innerProgress, new EmbeddingBatchProgress(count, 0, count));
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(count);
        embeddings.AddRange(results!);
        return embeddings;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cache.Dispose();
        }

        base.Dispose(disposing);
    }

    private static void ReportFinal(IProgress<EmbeddingBatchProgress>? progress, OffsetProgress? innerProgress, EmbeddingBatchProgress final)
    {
        // The inner request usually reported the final figure already; say it once.
        if (progress is not null && innerProgress?.Last != final)
        {
            progress.Report(final);
        }
    }

    private static void AddFailure(ref List<Exception>? failures, Exception exception)
    {
        // Keep one flat list of causes rather than aggregates nested once per layer.
        failures ??= [];
        if (exception is AggregateException aggregate)
        {
            foreach (var inner in aggregate.InnerExceptions)
            {
                if (!failures.Contains(inner))
                {
                    failures.Add(inner);
                }
            }
        }
        else if (!failures.Contains(exception))
        {
            failures.Add(exception);
        }
    }

    private void Complete(EmbeddingCacheKey key, Embedding<float> embedding, string? modelId, int? dimensions)
    {
        Store(key, embedding, modelId, dimensions);

        // Stored before leaving the in-flight map, so a newcomer finds it in one place or the other.
        if (_inFlight.TryRemove(key, out var source))
        {
            source.TrySetResult(embedding);
        }
    }

    private void Fail(EmbeddingCacheKey key, Exception exception)
    {
        if (_inFlight.TryRemove(key, out var source))
        {
            if (exception is OperationCanceledException canceled)
            {
                source.TrySetCanceled(canceled.CancellationToken);
            }
            else
            {
                source.TrySetException(exception);
            }
        }
    }

    private void Store(EmbeddingCacheKey key, Embedding<float> embedding, string? modelId, int? dimensions)
    {
        if ((modelId is not null && embedding.ModelId is not null && !string.Equals(modelId, embedding.ModelId, StringComparison.Ordinal))
            || (dimensions is not null && embedding.Dimensions != dimensions))
        {
            return;
        }

        using var entry = _cache.CreateEntry(key);
        entry.Size = 1;
        entry.AbsoluteExpirationRelativeToNow = _timeToLive;
        entry.Value = embedding;
    }

    /// <summary>Maps the inner request's progress (misses only) onto this request's inputs by adding the cache hits.</summary>
    private sealed class OffsetProgress(IProgress<EmbeddingBatchProgress> target, int hits, int total) : IProgress<EmbeddingBatchProgress>
    {
        public EmbeddingBatchProgress? Last { get; private set; }

        public void Report(EmbeddingBatchProgress value)
        {
            var mapped = new EmbeddingBatchProgress(value.Completed + hits, value.Failed, total);
            Last = mapped;
            target.Report(mapped);
        }
    }

    /// <summary>Lets <see cref="MemoryCache"/> read the injected clock, so time to live follows the host's <see cref="TimeProvider"/>.</summary>
    private sealed class TimeProviderClock(TimeProvider timeProvider) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
    }
}
