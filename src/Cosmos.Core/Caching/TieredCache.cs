using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Cosmos.Core.Telemetry;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;

namespace Cosmos.Core.Caching;

/// <summary>A three-tier in-memory cache (node, subtree, whole-system results), each tier a size-limited <see cref="MemoryCache"/> with its own time to live.</summary>
/// <remarks>
/// <para>Every entry has a size in bytes, given by the caller or estimated (see <see cref="TieredCacheOptions.SizeOf"/>);
/// a tier never holds more than its <see cref="CacheTierOptions.SizeLimit"/>. An entry that does not fit is not stored
/// and makes the tier compact (evicting the entries closest to expiry first) in the background. Entries expire
/// <see cref="CacheTierOptions.TimeToLive"/> after they are written, measured on the injected <see cref="TimeProvider"/>.</para>
/// <para>Thread-safe. <see cref="GetOrCreateAsync{T, TState}"/> does not de-duplicate concurrent factories for the same key.</para>
/// </remarks>
public sealed class TieredCache : IDisposable
{
    private readonly Tier[] _tiers;
    private readonly Func<object?, long>? _sizeOf;
    private readonly long _defaultEntrySize;

    /// <summary>Creates a tiered cache.</summary>
    /// <param name="options">The cache settings; the SPEC defaults when <see langword="null"/>. Read once.</param>
    /// <param name="timeProvider">The clock that drives expiry; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public TieredCache(TieredCacheOptions? options = null, TimeProvider? timeProvider = null)
        : this(options, timeProvider, null)
    {
    }

    internal TieredCache(TieredCacheOptions? options, TimeProvider? timeProvider, CoreInstrumentation? instrumentation)
    {
        options ??= new TieredCacheOptions();
        var validation = new TieredCacheOptionsValidator().Validate(nameof(TieredCacheOptions), options);
        if (validation.Failed)
        {
            throw new ArgumentOutOfRangeException(nameof(options), validation.FailureMessage);
        }

        timeProvider ??= TimeProvider.System;
        _sizeOf = options.SizeOf;
        _defaultEntrySize = options.DefaultEntrySize;
        var clock = new TimeProviderClock(timeProvider);
        _tiers =
        [
            new Tier(CacheTier.Node, options.Node, clock, options.ExpirationScanFrequency),
            new Tier(CacheTier.Subtree, options.Subtree, clock, options.ExpirationScanFrequency),
            new Tier(CacheTier.System, options.System, clock, options.ExpirationScanFrequency),
        ];

        if (instrumentation is not null)
        {
            var m = instrumentation.Meter;
            m.CreateObservableCounter(CoreTelemetry.CacheHits, () => Observe(s => s.Hits), "{hit}", "Cache lookups that found a live entry, per tier.");
            m.CreateObservableCounter(CoreTelemetry.CacheMisses, () => Observe(s => s.Misses), "{miss}", "Cache lookups that found nothing, per tier.");
            m.CreateObservableCounter(CoreTelemetry.CacheEvictions, () => Observe(s => s.Evictions), "{entry}", "Entries evicted by expiry or capacity, per tier.");
            m.CreateObservableUpDownCounter(CoreTelemetry.CacheEntries, () => Observe(s => s.Entries), "{entry}", "Entries currently stored, per tier.");
            m.CreateObservableUpDownCounter(CoreTelemetry.CacheSize, () => Observe(s => s.Size), "By", "Sum of stored entry sizes, per tier.");
        }
    }

    /// <summary>Looks up a value in a tier.</summary>
    /// <typeparam name="T">The expected value type.</typeparam>
    /// <param name="tier">The tier.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The cached value when found.</param>
    /// <returns><see langword="true"/> when a live entry of type <typeparamref name="T"/> was found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tier"/> is not a defined tier.</exception>
    public bool TryGetValue<T>(CacheTier tier, object key, [MaybeNullWhen(false)] out T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (GetTier(tier).Cache.TryGetValue(key, out var stored) && stored is T typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Stores a value in a tier with an explicit size.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="tier">The tier.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="size">The entry's size in bytes, counted against the tier's size limit.</param>
    /// <returns><see langword="true"/> when the entry was stored; <see langword="false"/> when it is larger than the tier's whole capacity.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tier"/> is not a defined tier, or <paramref name="size"/> is negative.</exception>
    public bool Set<T>(CacheTier tier, object key, T value, long size)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var t = GetTier(tier);
        if (size > t.SizeLimit)
        {
            return false;
        }

        using (var entry = t.Cache.CreateEntry(key))
        {
            entry.Value = value;
            entry.Size = size;
            entry.AbsoluteExpirationRelativeToNow = t.TimeToLive;
            entry.RegisterPostEvictionCallback(static (_, _, reason, state) => ((Tier)state!).OnEvicted(reason), t);
        }

        return true;
    }

    /// <summary>Stores a value in a tier, sizing it with <see cref="TieredCacheOptions.SizeOf"/> or the built-in estimate.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="tier">The tier.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when the entry was stored; <see langword="false"/> when it is larger than the tier's whole capacity.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tier"/> is not a defined tier.</exception>
    /// <exception cref="InvalidOperationException">The sizing function returned a negative size.</exception>
    public bool Set<T>(CacheTier tier, object key, T value) => Set(tier, key, value, SizeOf(value));

    /// <summary>Gets a value from a tier, or creates, stores and returns it.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <typeparam name="TState">The state passed to the factory, so the factory need not capture variables.</typeparam>
    /// <param name="tier">The tier.</param>
    /// <param name="key">The key.</param>
    /// <param name="state">The factory state.</param>
    /// <param name="factory">Creates the value on a miss.</param>
    /// <param name="cancellationToken">Passed to the factory.</param>
    /// <returns>The cached or created value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tier"/> is not a defined tier.</exception>
    public async ValueTask<T> GetOrCreateAsync<T, TState>(CacheTier tier, object key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        if (TryGetValue<T>(tier, key, out var cached))
        {
            return cached;
        }

        var created = await factory(state, cancellationToken).ConfigureAwait(false);
        Set(tier, key, created);
        return created;
    }

    /// <summary>Removes an entry from a tier.</summary>
    /// <param name="tier">The tier.</param>
    /// <param name="key">The key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tier"/> is not a defined tier.</exception>
    public void Remove(CacheTier tier, object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        GetTier(tier).Cache.Remove(key);
    }

    /// <summary>Removes every entry of a tier.</summary>
    /// <param name="tier">The tier.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tier"/> is not a defined tier.</exception>
    public void Clear(CacheTier tier) => GetTier(tier).Cache.Clear();

    /// <summary>Gets a snapshot of one tier's counters.</summary>
    /// <param name="tier">The tier.</param>
    /// <returns>The tier's statistics.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tier"/> is not a defined tier.</exception>
    public CacheTierStatistics GetStatistics(CacheTier tier) => GetTier(tier).Snapshot();

    /// <summary>Disposes the three underlying caches.</summary>
    public void Dispose()
    {
        foreach (var tier in _tiers)
        {
            tier.Cache.Dispose();
        }
    }

    private long SizeOf(object? value)
    {
        if (_sizeOf is not null)
        {
            var size = _sizeOf(value);
            return size >= 0 ? size : throw new InvalidOperationException($"{nameof(TieredCacheOptions)}.{nameof(TieredCacheOptions.SizeOf)} returned a negative size ({size}).");
        }

        return value switch
        {
            byte[] bytes => bytes.Length,
            string text => 2L * text.Length,
            Array array when array.GetType().GetElementType() is { IsPrimitive: true } => Buffer.ByteLength(array),
            _ => _defaultEntrySize,
        };
    }

    private Tier GetTier(CacheTier tier)
    {
        var index = (int)tier - 1;
        if ((uint)index >= (uint)_tiers.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown cache tier.");
        }

        return _tiers[index];
    }

    private IEnumerable<Measurement<long>> Observe(Func<CacheTierStatistics, long> select)
    {
        foreach (var tier in _tiers)
        {
            yield return new Measurement<long>(select(tier.Snapshot()), new KeyValuePair<string, object?>(CoreTelemetry.CacheTierTag, tier.TagValue));
        }
    }

    private sealed class Tier
    {
        private long _evictions;

        public Tier(CacheTier tier, CacheTierOptions options, ISystemClock clock, TimeSpan scanFrequency)
        {
            Name = tier;
            TagValue = tier switch { CacheTier.Node => "node", CacheTier.Subtree => "subtree", _ => "system" };
            TimeToLive = options.TimeToLive;
            SizeLimit = options.SizeLimit;
            Cache = new MemoryCache(new MemoryCacheOptions
            {
                SizeLimit = options.SizeLimit,
                TrackStatistics = true,
                ExpirationScanFrequency = scanFrequency,
                // MemoryCache 10.0 reads time only through ISystemClock; the adapter makes expiry follow the TimeProvider.
                Clock = clock,
            });
        }

        public CacheTier Name { get; }

        public string TagValue { get; }

        public TimeSpan TimeToLive { get; }

        public long SizeLimit { get; }

        public MemoryCache Cache { get; }

        public void OnEvicted(EvictionReason reason)
        {
            if (reason is EvictionReason.Expired or EvictionReason.Capacity or EvictionReason.TokenExpired)
            {
                Interlocked.Increment(ref _evictions);
            }
        }

        public CacheTierStatistics Snapshot()
        {
            var stats = Cache.GetCurrentStatistics();
            return new CacheTierStatistics(
                Name,
                stats?.CurrentEntryCount ?? Cache.Count,
                stats?.CurrentEstimatedSize ?? 0,
                stats?.TotalHits ?? 0,
                stats?.TotalMisses ?? 0,
                Interlocked.Read(ref _evictions));
        }
    }

    private sealed class TimeProviderClock(TimeProvider timeProvider) : ISystemClock
    {
        public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
    }
}
