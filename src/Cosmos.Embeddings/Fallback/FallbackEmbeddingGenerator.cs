using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cosmos.Embeddings.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Embeddings.Fallback;

/// <summary>
/// Asks providers in order until one answers: each provider sits behind its own Polly circuit breaker, so a provider
/// whose breaker is open is skipped without being called. Every returned embedding records the answering provider
/// (<see cref="EmbeddingPropertyNames.Provider"/>) and model (<see cref="Embedding.ModelId"/>), and vectors of another
/// model or dimension than the first provider's are refused or tagged according to <see cref="ModelMixingPolicy"/>.
/// </summary>
/// <remarks>
/// The first provider is this generator's <see cref="DelegatingEmbeddingGenerator{TInput, TEmbedding}.InnerGenerator"/>.
/// Disposing the chain disposes every provider's generator. A caller's cancellation is never treated as a provider failure.
/// </remarks>
public sealed class FallbackEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly ProviderSlot[] _slots;
    private readonly FallbackProvider[] _providers;
    private readonly ModelMixingPolicy _mixing;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly EmbeddingsMetrics _telemetry;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly bool _ownsProviders;

    /// <summary>Creates a fallback chain over <paramref name="providers"/>, asked in the given order.</summary>
    /// <param name="providers">The providers, first = preferred; at least one, names unique.</param>
    /// <param name="options">Model mixing and circuit-breaker settings; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">Clock of the circuit breakers and latency measurements; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Creates the chain's logger; <see langword="null"/> for no logging.</param>
    /// <param name="meterFactory">Creates the <c>Cosmos.Embeddings</c> meter; <see langword="null"/> for a process-wide meter.</param>
    /// <exception cref="ArgumentNullException"><paramref name="providers"/> is <see langword="null"/> or holds <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="providers"/> is empty or two providers share a name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A circuit-breaker setting of <paramref name="options"/> is out of range.</exception>
    public FallbackEmbeddingGenerator(
        IEnumerable<FallbackProvider> providers,
        FallbackEmbeddingGeneratorOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
        : this(Materialize(providers), options, timeProvider, loggerFactory, meterFactory is null ? EmbeddingsMetrics.Shared : new EmbeddingsMetrics(meterFactory), ownsProviders: true)
    {
    }

    internal FallbackEmbeddingGenerator(
        FallbackProvider[] providers,
        FallbackEmbeddingGeneratorOptions? options,
        TimeProvider? timeProvider,
        ILoggerFactory? loggerFactory,
        EmbeddingsMetrics telemetry,
        bool ownsProviders)
        : base(ownsProviders ? providers[0].Generator : new NonOwningGenerator(providers[0].Generator))
    {
        _ownsProviders = ownsProviders;
        options ??= new FallbackEmbeddingGeneratorOptions();
        _providers = providers;
        _mixing = options.ModelMixing;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<FallbackEmbeddingGenerator>();
        _telemetry = telemetry;
        _slots = new ProviderSlot[providers.Length];
        for (var i = 0; i < providers.Length; i++)
        {
            _slots[i] = new ProviderSlot(providers[i], options, _timeProvider, _logger);
        }

        var primary = providers[0];
        var primaryMetadata = primary.Generator.GetService<EmbeddingGeneratorMetadata>();
        _metadata = new EmbeddingGeneratorMetadata("cosmos.fallback", primaryMetadata?.ProviderUri, primary.ModelId, primary.Dimensions);
    }

    /// <summary>The providers in the order they are asked.</summary>
    public IReadOnlyList<FallbackProvider> Providers => _providers;

    /// <summary>The state of a provider's circuit breaker.</summary>
    /// <param name="providerName">The provider's <see cref="FallbackProvider.Name"/>.</param>
    /// <returns><see cref="CircuitState.Closed"/> while the provider is asked, <see cref="CircuitState.Open"/> while it is skipped, <see cref="CircuitState.HalfOpen"/> during a trial call.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="providerName"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">No provider has that name.</exception>
    public CircuitState GetCircuitState(string providerName)
    {
        ArgumentNullException.ThrowIfNull(providerName);
        foreach (var slot in _slots)
        {
            if (slot.Provider.Name == providerName)
            {
                return slot.State.CircuitState;
            }
        }

        throw new KeyNotFoundException($"No embedding provider named '{providerName}' is in the chain.");
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="EmbeddingProvidersUnavailableException">Every provider failed or was skipped by its open breaker.</exception>
    /// <exception cref="EmbeddingModelMismatchException">Only providers of another model space could have answered and <see cref="ModelMixingPolicy.Fail"/> is set.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        // The chain's model space: the request's model when it names one, else the first provider's declared space.
        var expectedModel = options?.ModelId ?? _providers[0].ModelSpace;
        var expectedDimensions = options?.Dimensions ?? _providers[0].Dimensions;

        List<Exception>? failures = null;
        List<KeyValuePair<string, string>>? reasons = null;
        List<string>? rejected = null;

        for (var i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            var provider = slot.Provider;

            if (i > 0 && _mixing == ModelMixingPolicy.Fail && !IsCompatible(expectedModel, expectedDimensions, provider.ModelSpace, provider.ModelId, provider.Dimensions))
            {
                Reject(provider.Name, FormatModelSpace(provider.ModelSpace, provider.Dimensions), expectedModel, expectedDimensions, ref rejected, ref reasons);
                continue;
            }

            if (slot.IsSkipping(_timeProvider))
            {
                // Checked up front so an open provider costs neither a call nor a thrown exception.
                Log.ProviderCircuitOpen(_logger, provider.Name);
                _telemetry.RecordError(provider.Name, FailureReason.CircuitOpen);
                (reasons ??= []).Add(new(provider.Name, FailureReason.CircuitOpen));
                continue;
            }

            // One span per provider asked (only when listened to): the first is a provider request, later ones are fallback hops.
            using var activity = EmbeddingsMetrics.ActivitySource.StartActivity(
                i == 0 ? EmbeddingsTelemetry.ProviderRequestActivityName : EmbeddingsTelemetry.FallbackHopActivityName,
                ActivityKind.Client);
            if (activity is not null)
            {
                activity.SetTag("cosmos.embeddings.provider", provider.Name);
                activity.SetTag("cosmos.embeddings.input_count", inputs.Count);
                if (i > 0 && reasons is { Count: > 0 })
                {
                    activity.SetTag("cosmos.embeddings.fallback.reason", reasons[^1].Value);
                }
            }

            var started = _timeProvider.GetTimestamp();
            GeneratedEmbeddings<Embedding<float>> result;
            try
            {
                result = await slot.Pipeline.ExecuteAsync(
                    static (state, token) => CallProviderAsync(state.Generator, state.Inputs, state.Options, token),
                    (provider.Generator, Inputs: inputs, Options: options),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (BrokenCircuitException)
            {
                // Another request opened the breaker between the state check and the call.
                Log.ProviderCircuitOpen(_logger, provider.Name);
                _telemetry.RecordError(provider.Name, FailureReason.CircuitOpen);
                (reasons ??= []).Add(new(provider.Name, FailureReason.CircuitOpen));
                continue;
            }
#pragma warning disable CA1031 // Any provider failure moves on to the next provider; all are reported if none answers.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _telemetry.RecordLatency(provider.Name, _timeProvider.GetElapsedTime(started).TotalSeconds, success: false);
                var reason = FailureReason.Classify(ex);
                _telemetry.RecordError(provider.Name, reason);
                activity?.SetTag("cosmos.embeddings.outcome", reason);
                activity?.SetStatus(ActivityStatusCode.Error, reason);
                Log.ProviderFailed(_logger, provider.Name, reason, inputs.Count, ex);
                (failures ??= []).Add(ex);
                (reasons ??= []).Add(new(provider.Name, reason));
                continue;
            }

            _telemetry.RecordLatency(provider.Name, _timeProvider.GetElapsedTime(started).TotalSeconds, success: true);
            activity?.SetTag("cosmos.embeddings.outcome", "success");

            var answeredModel = provider.ModelId;
            var answeredDimensions = provider.Dimensions;
            if (result.Count > 0)
            {
                answeredModel = result[0].ModelId ?? answeredModel;
                answeredDimensions = result[0].Dimensions;
            }

            // The answer is in the provider's declared space when it names the declared model (or none).
            var answeredSpace = provider.SpaceOf(answeredModel);
            if (_mixing == ModelMixingPolicy.Fail && !IsCompatible(expectedModel, expectedDimensions, answeredSpace, answeredModel, answeredDimensions))
            {
                // The provider did not declare its model up front; its answer is discarded rather than mixed in.
                Reject(provider.Name, FormatModelSpace(answeredSpace, answeredDimensions), expectedModel, expectedDimensions, ref rejected, ref reasons);
                continue;
            }

            slot.Tag(result, isFallback: i > 0);
            if (i > 0)
            {
                Log.FallbackAnswered(_logger, provider.Name, answeredModel, inputs.Count);
            }

            return result;
        }

        throw CreateFailure(expectedModel, expectedDimensions, failures, reasons, rejected);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        return base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsProviders)
        {
            // The base disposes the first provider; the chain owns the others too.
            for (var i = 1; i < _providers.Length; i++)
            {
                _providers[i].Generator.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    internal static string FormatModelSpace(string? modelId, int? dimensions) =>
        $"{modelId ?? "unknown-model"}/{(dimensions is { } d ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown-dimensions")}";

    private static bool IsCompatible(string? expectedSpace, int? expectedDimensions, string? space, string? model, int? dimensions) =>
        (expectedSpace is null || space is null
            || string.Equals(expectedSpace, space, StringComparison.Ordinal)
            || string.Equals(expectedSpace, model, StringComparison.Ordinal))
        && (expectedDimensions is null || dimensions is null || expectedDimensions == dimensions);

    private static async ValueTask<GeneratedEmbeddings<Embedding<float>>> CallProviderAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator,
        IReadOnlyList<string> inputs,
        EmbeddingGenerationOptions? options,
        CancellationToken cancellationToken)
    {
        var result = await generator.GenerateAsync(inputs, options, cancellationToken).ConfigureAwait(false);
        if (result is null || result.Count != inputs.Count)
        {
            // Inside the breaker's callback so a provider that answers with the wrong shape counts as failing.
            throw new InvalidDataException($"The provider returned {result?.Count ?? 0} embeddings for {inputs.Count} inputs.");
        }

        return result;
    }

    private static FallbackProvider[] Materialize(IEnumerable<FallbackProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        FallbackProvider[] array = [.. providers];
        if (array.Length == 0)
        {
            throw new ArgumentException("A fallback chain needs at least one provider.", nameof(providers));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Length; i++)
        {
            if (array[i] is null)
            {
                throw new ArgumentNullException(nameof(providers), $"The provider at index {i} is null.");
            }

            if (!names.Add(array[i].Name))
            {
                throw new ArgumentException($"Two providers are named '{array[i].Name}'; names must be unique (index {i}).", nameof(providers));
            }
        }

        return array;
    }

    private void Reject(string providerName, string providerSpace, string? expectedModel, int? expectedDimensions, ref List<string>? rejected, ref List<KeyValuePair<string, string>>? reasons)
    {
        Log.ProviderModelMismatch(_logger, providerName, providerSpace, FormatModelSpace(expectedModel, expectedDimensions));
        _telemetry.RecordError(providerName, FailureReason.ModelMismatch);
        (rejected ??= []).Add($"{providerName} ({providerSpace})");
        (reasons ??= []).Add(new(providerName, FailureReason.ModelMismatch));
    }

    private Exception CreateFailure(string? expectedModel, int? expectedDimensions, List<Exception>? failures, List<KeyValuePair<string, string>>? reasons, List<string>? rejected)
    {
        var inner = failures is null ? null : new AggregateException(failures);
        var summary = reasons is null ? string.Empty : string.Join(", ", reasons.Select(r => $"{r.Key}: {r.Value}"));
        var expected = FormatModelSpace(expectedModel, expectedDimensions);
        if (rejected is not null)
        {
            return new EmbeddingModelMismatchException(
                $"No embedding provider of the chain's model space '{expected}' could answer ({summary}). Providers of another model space were not used because "
                + $"vectors of different models must not be mixed: {string.Join(", ", rejected)}. Set ModelMixing to Tag to accept them, tagged.",
                inner)
            {
                ExpectedModelSpace = expected,
                RejectedModelSpaces = rejected,
            };
        }

        return new EmbeddingProvidersUnavailableException($"All {_providers.Length} embedding providers failed or are unavailable ({summary}).", inner)
        {
            ProviderReasons = reasons ?? [],
        };
    }

    private sealed class ProviderSlot
    {
        private ModelSpaceName? _lastModelSpace;
        private long _openUntilTicks;

        public ProviderSlot(FallbackProvider provider, FallbackEmbeddingGeneratorOptions options, TimeProvider timeProvider, ILogger logger)
        {
            Provider = provider;
            State = new CircuitBreakerStateProvider();
            var name = provider.Name;
            Pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = "Cosmos.Embeddings.Fallback", InstanceName = name }
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                {
                    FailureRatio = options.CircuitBreakerFailureRatio,
                    MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                    SamplingDuration = options.CircuitBreakerSamplingDuration,
                    BreakDuration = options.CircuitBreakerBreakDuration,
                    StateProvider = State,
                    // A caller's cancellation or a request the provider refused as invalid says nothing about its health.
                    ShouldHandle = args => new ValueTask<bool>(
                        args.Outcome.Exception is { } ex
                        && !(ex is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)
                        && FailureReason.CountsAgainstProvider(ex)),
                    OnOpened = args =>
                    {
                        Volatile.Write(ref _openUntilTicks, (timeProvider.GetUtcNow() + args.BreakDuration).UtcTicks);
                        Log.CircuitOpened(logger, name, args.BreakDuration);
                        return default;
                    },
                    OnHalfOpened = _ =>
                    {
                        Volatile.Write(ref _openUntilTicks, 0);
                        return default;
                    },
                    OnClosed = _ =>
                    {
                        Volatile.Write(ref _openUntilTicks, 0);
                        Log.CircuitClosed(logger, name);
                        return default;
                    },
                })
                .Build();
        }

        public FallbackProvider Provider { get; }

        /// <summary>Whether the breaker is open and its break has not elapsed. Polly moves to half-open only when a call is attempted,
        /// so once the break elapses the call goes through the pipeline, which admits the trial call.</summary>
        public bool IsSkipping(TimeProvider timeProvider) => State.CircuitState switch
        {
            CircuitState.Isolated => true,
            CircuitState.Open => timeProvider.GetUtcNow().UtcTicks < Volatile.Read(ref _openUntilTicks),
            _ => false,
        };

        public CircuitBreakerStateProvider State { get; }

        public ResiliencePipeline Pipeline { get; }

        public void Tag(GeneratedEmbeddings<Embedding<float>> result, bool isFallback)
        {
            (result.AdditionalProperties ??= [])[EmbeddingPropertyNames.Provider] = Provider.Name;
            foreach (var embedding in result)
            {
                embedding.ModelId ??= Provider.ModelId;
                var properties = embedding.AdditionalProperties ??= [];
                properties[EmbeddingPropertyNames.Provider] = Provider.Name;
                properties[EmbeddingPropertyNames.ModelSpace] = ModelSpace(Provider.SpaceOf(embedding.ModelId), embedding.Dimensions);
                if (isFallback)
                {
                    properties[EmbeddingPropertyNames.IsFallback] = true;
                }
            }
        }

        private string ModelSpace(string? modelId, int dimensions)
        {
            // Providers answer with one model and dimension almost always; reuse the formatted string.
            // The holder is immutable and swapped whole, so concurrent requests never see a torn pair.
            var last = _lastModelSpace;
            if (last is not null && last.Dimensions == dimensions && string.Equals(modelId, last.ModelId, StringComparison.Ordinal))
            {
                return last.Text;
            }

            var formatted = FormatModelSpace(modelId, dimensions);
            _lastModelSpace = new ModelSpaceName(modelId, dimensions, formatted);
            return formatted;
        }
    }

    private sealed record ModelSpaceName(string? ModelId, int Dimensions, string Text);

    /// <summary>Shields a container-owned provider from the base class's dispose of its inner generator.</summary>
    private sealed class NonOwningGenerator(IEmbeddingGenerator<string, Embedding<float>> inner) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.GenerateAsync(values, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

        public void Dispose()
        {
            // Deliberately empty: the DI container owns the provider.
        }
    }
}
