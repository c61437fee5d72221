using System.Diagnostics.Metrics;
using Cosmos.Embeddings.Internal;
using Cosmos.Embeddings.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cosmos.Embeddings.Batching;

/// <summary>
/// Splits a request of any size into consecutive batches that respect an item limit and an estimated token budget,
/// sends up to <see cref="EmbeddingBatchingOptions.MaxConcurrency"/> batches at once, and returns the embeddings in input order.
/// </summary>
/// <remarks>
/// <para>Limits: a batch holds at most <see cref="MaxBatchSize"/> inputs and at most <see cref="MaxBatchTokens"/> estimated tokens; an
/// input estimated above the token budget on its own is sent alone (the provider then decides). When the inner generator is (or wraps)
/// a <see cref="FallbackEmbeddingGenerator"/>, the smallest per-request limits of its providers apply too, since any of them may answer a batch.</para>
/// <para>Failures: every batch is tried; if any failed, an <see cref="EmbeddingBatchException"/> lists the failed inputs' positions and
/// carries the embeddings that succeeded. Cancellation stops scheduling batches and throws <see cref="OperationCanceledException"/>.</para>
/// <para>Progress: pass an <see cref="IProgress{T}"/> of <see cref="EmbeddingBatchProgress"/> with
/// <see cref="EmbeddingGeneratorProgressExtensions.GenerateWithProgressAsync"/>; it receives one report at the start and one per finished batch.</para>
/// </remarks>
public sealed class BatchingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly Func<string, int> _estimateTokens;
    private readonly int _maxConcurrency;
    private readonly ILogger _logger;
    private readonly EmbeddingsMetrics _telemetry;

    /// <summary>Creates a batching generator over <paramref name="innerGenerator"/>.</summary>
    /// <param name="innerGenerator">The generator each batch is sent to, typically a <see cref="FallbackEmbeddingGenerator"/>.</param>
    /// <param name="options">Batch limits and concurrency; <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Creates the logger; <see langword="null"/> for no logging.</param>
    /// <param name="meterFactory">Creates the <c>Cosmos.Embeddings</c> meter; <see langword="null"/> for a process-wide meter.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit of <paramref name="options"/> is below 1.</exception>
    public BatchingEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> innerGenerator,
        EmbeddingBatchingOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
        : this(innerGenerator, options, loggerFactory, meterFactory is null ? EmbeddingsMetrics.Shared : new EmbeddingsMetrics(meterFactory))
    {
    }

    internal BatchingEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> innerGenerator,
        EmbeddingBatchingOptions? options,
        ILoggerFactory? loggerFactory,
        EmbeddingsMetrics telemetry)
        : base(innerGenerator)
    {
        options ??= new EmbeddingBatchingOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1, "options.MaxBatchSize");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1, "options.MaxConcurrency");
        if (options.MaxBatchTokens is { } tokens)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(tokens, 1, "options.MaxBatchTokens");
        }

        ArgumentNullException.ThrowIfNull(options.TokenEstimator, "options.TokenEstimator");

        var maxItems = options.MaxBatchSize;
        var maxTokens = options.MaxBatchTokens ?? int.MaxValue;
        if (innerGenerator.GetService<FallbackEmbeddingGenerator>() is { } chain)
        {
            foreach (var provider in chain.Providers)
            {
                maxItems = Math.Min(maxItems, provider.MaxInputsPerRequest ?? int.MaxValue);
                maxTokens = Math.Min(maxTokens, provider.MaxTokensPerRequest ?? int.MaxValue);
            }
        }

        MaxBatchSize = Math.Max(1, maxItems);
        MaxBatchTokens = Math.Max(1, maxTokens);
        _estimateTokens = options.TokenEstimator;
        _maxConcurrency = options.MaxConcurrency;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<BatchingEmbeddingGenerator>();
        _telemetry = telemetry;
    }

    /// <summary>The effective most inputs per batch: the configured size lowered by the providers' limits.</summary>
    public int MaxBatchSize { get; }

    /// <summary>The effective most estimated tokens per batch (<see cref="int.MaxValue"/> when unlimited).</summary>
    public int MaxBatchTokens { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or one of its inputs is <see langword="null"/>; the message names the index.</exception>
    /// <exception cref="ArgumentException">An input is empty or white space; the message names the index. Nothing is sent.</exception>
    /// <exception cref="EmbeddingBatchException">One or more batches failed; the exception names their inputs.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values as IReadOnlyList<string> ?? [.. values];

        // Refused before any batch is sent: one blank input would otherwise fail its whole batch at the provider.
        InputGuard.ThrowIfAnyBlank(inputs, nameof(values));
        var progress = EmbeddingGeneratorProgressExtensions.GetProgress(options);
        var innerOptions = EmbeddingGeneratorProgressExtensions.WithProgress(options, null);
        var tracker = new ProgressTracker(progress, inputs.Count);
        tracker.Start();

        var batches = Split(inputs, MaxBatchSize, MaxBatchTokens, _estimateTokens);
        if (batches.Count == 0)
        {
            return [];
        }

        if (batches.Count == 1)
        {
            // The common small request pays no slicing, array or scheduling cost.
            _telemetry.RecordBatchSize(inputs.Count);
            GeneratedEmbeddings<Embedding<float>> single;
            try
            {
                single = await InnerGenerator.GenerateAsync(inputs, innerOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.BatchFailed(_logger, inputs.Count, 0, ex);
                tracker.Finished(inputs.Count, failed: true);
                throw CreateException(inputs.Count, new Embedding<float>?[inputs.Count], [(0, inputs.Count)], [ex]);
            }

            CheckCount(single, inputs.Count);
            tracker.Finished(inputs.Count, failed: false);
            return single;
        }

        var results = new Embedding<float>?[inputs.Count];
        var failedRanges = new List<(int Start, int Count)>();
        var failures = new List<Exception>();
        long inputTokens = 0;
        long totalTokens = 0;
        var sawUsage = false;
        var gate = new object();

        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = _maxConcurrency, CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                var slice = new ListSlice(inputs, batch.Start, batch.Count);
                _telemetry.RecordBatchSize(batch.Count);
                try
                {
                    var generated = await InnerGenerator.GenerateAsync(slice, innerOptions, token).ConfigureAwait(false);
                    CheckCount(generated, batch.Count);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        results[batch.Start + i] = generated[i];
                    }

                    if (generated.Usage is { } usage)
                    {
                        lock (gate)
                        {
                            sawUsage = true;
                            inputTokens += usage.InputTokenCount ?? 0;
                            totalTokens += usage.TotalTokenCount ?? 0;
                        }
                    }

                    tracker.Finished(batch.Count, failed: false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    Log.BatchFailed(_logger, batch.Count, batch.Start, ex);
                    lock (gate)
                    {
                        failedRanges.Add(batch);
                        failures.Add(ex);
                    }

                    tracker.Finished(batch.Count, failed: true);
                }
            }).ConfigureAwait(false);

        if (failures.Count > 0)
        {
            throw CreateException(inputs.Count, results, failedRanges, failures);
        }

        var embeddings = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        embeddings.AddRange(results!);
        if (sawUsage)
        {
            embeddings.Usage = new UsageDetails { InputTokenCount = inputTokens, TotalTokenCount = totalTokens };
        }

        return embeddings;
    }

    /// <summary>Splits <paramref name="inputs"/> into consecutive (start, count) ranges within the item and token limits.</summary>
    internal static List<(int Start, int Count)> Split(IReadOnlyList<string> inputs, int maxItems, int maxTokens, Func<string, int> estimateTokens)
    {
        var batches = new List<(int Start, int Count)>((inputs.Count / maxItems) + 1);
        var start = 0;
        var count = 0;
        long tokens = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var text = inputs[i] ?? throw new ArgumentException($"The input at index {i} is null.", nameof(inputs));
            var estimate = Math.Max(0, estimateTokens(text));
            if (count > 0 && (count == maxItems || tokens + estimate > maxTokens))
            {
                batches.Add((start, count));
                start = i;
                count = 0;
                tokens = 0;
            }

            count++;
            tokens += estimate;
        }

        if (count > 0)
        {
            batches.Add((start, count));
        }

        return batches;
    }

    private static void CheckCount(GeneratedEmbeddings<Embedding<float>> generated, int expected)
    {
        if (generated is null || generated.Count != expected)
        {
            throw new InvalidDataException($"The embedding generator returned {generated?.Count ?? 0} embeddings for {expected} inputs.");
        }
    }

    private static EmbeddingBatchException CreateException(int total, Embedding<float>?[] results, List<(int Start, int Count)> failedRanges, List<Exception> failures)
    {
        failedRanges.Sort();
        var failed = new List<int>();
        foreach (var (start, count) in failedRanges)
        {
            for (var i = 0; i < count; i++)
            {
                failed.Add(start + i);
            }
        }

        return new EmbeddingBatchException(
            $"{failed.Count} of {total} inputs failed in {failedRanges.Count} batch(es); see FailedInputIndices and InnerException.",
            new AggregateException(failures))
        {
            FailedInputIndices = failed,
            Embeddings = results,
        };
    }

    /// <summary>Reports monotonic progress: counts and the report happen under one lock so reports never go backwards.</summary>
    private sealed class ProgressTracker(IProgress<EmbeddingBatchProgress>? progress, int total)
    {
        private readonly object _gate = new();
        private int _completed;
        private int _failed;

        public void Start() => progress?.Report(new EmbeddingBatchProgress(0, 0, total));

        public void Finished(int count, bool failed)
        {
            if (progress is null)
            {
                return;
            }

            lock (_gate)
            {
                if (failed)
                {
                    _failed += count;
                }
                else
                {
                    _completed += count;
                }

                progress.Report(new EmbeddingBatchProgress(_completed, _failed, total));
            }
        }
    }

    /// <summary>A read-only window over the caller's inputs, so batches are sent without copying strings into new lists.</summary>
    private sealed class ListSlice(IReadOnlyList<string> source, int start, int count) : IReadOnlyList<string>
    {
        public string this[int index] => (uint)index < (uint)count ? source[start + index] : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => count;

        public IEnumerator<string> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return source[start + i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
