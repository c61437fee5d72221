using Microsoft.Extensions.Caching.Hybrid;

namespace Cosmos.Core.Caching;

/// <summary>A <see cref="TieredCache"/> in front of a shared second level: a <see cref="HybridCache"/>, typically over an
/// <c>IDistributedCache</c> on Redis, so results are shared by instances and survive restarts.</summary>
/// <remarks>
/// <para>A lookup reads the local tier first (no I/O); on a local miss it asks the shared level, which runs the factory at most
/// once per key across concurrent callers of this instance (HybridCache's stampede protection) and stores the result for
/// every instance; the value is then kept in the local tier too. Shared entries expire after the tier's
/// <see cref="CacheTierOptions.TimeToLive"/>, like local ones; HybridCache's own in-memory level is bypassed because the
/// local tier is that level.</para>
/// <para>Shared keys are <c>cosmos:{tier}:{key}</c>; values are serialized by the HybridCache's serializers (System.Text.Json
/// unless the host registers others). Local-only caching stays the default: hosts opt in with <c>AddCosmosSharedCache</c>.</para>
/// </remarks>
public sealed class SharedTieredCache
{
    private readonly TieredCache _local;
    private readonly HybridCache _shared;
    private readonly HybridCacheEntryOptions[] _entryOptions;

    /// <summary>Creates the cache over a local tiered cache and a shared level.</summary>
    /// <param name="local">The local tiers.</param>
    /// <param name="shared">The shared level.</param>
    /// <param name="options">The tier settings the local cache was built with; their times to live apply to shared entries. The defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="local"/> or <paramref name="shared"/> is <see langword="null"/>.</exception>
    public SharedTieredCache(TieredCache local, HybridCache shared, TieredCacheOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(shared);
        _local = local;
        _shared = shared;
        options ??= new TieredCacheOptions();
        _entryOptions = [.. Enum.GetValues<CacheTier>().Order().Select(tier => new HybridCacheEntryOptions
        {
            Expiration = options.GetTier(tier).TimeToLive,
            Flags = HybridCacheEntryFlags.DisableLocalCache,
        })];
    }

    /// <summary>The local tiers.</summary>
    public TieredCache Local => _local;

    /// <summary>Gets a value from the local tier, else from the shared level, else creates it and stores it in both.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <typeparam name="TState">The state passed to the factory.</typeparam>
    /// <param name="tier">The tier.</param>
    /// <param name="key">The key; instances that use the same key share the entry.</param>
    /// <param name="state">The factory state.</param>
    /// <param name="factory">Creates the value when neither level has it.</param>
    /// <param name="cancellationToken">Cancels the shared lookup and the factory.</param>
    /// <returns>The cached or created value.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tier"/> is not a defined tier.</exception>
    public async ValueTask<T> GetOrCreateAsync<T, TState>(CacheTier tier, string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(factory);
        var entry = EntryOptions(tier);
        if (_local.TryGetValue<T>(tier, key, out var local))
        {
            return local;
        }

        var value = await _shared.GetOrCreateAsync(SharedKey(tier, key), (state, factory), static (s, ct) => s.factory(s.state, ct), entry, cancellationToken: cancellationToken).ConfigureAwait(false);
        _local.Set(tier, key, value);
        return value;
    }

    /// <summary>Stores a value in the local tier and the shared level.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="tier">The tier.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the shared write.</param>
    /// <returns>A task that completes when the shared level has the value.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tier"/> is not a defined tier.</exception>
    public async ValueTask SetAsync<T>(CacheTier tier, string key, T value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var entry = EntryOptions(tier);
        _local.Set(tier, key, value);
        await _shared.SetAsync(SharedKey(tier, key), value, entry, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes an entry from the local tier and the shared level (other instances drop their local copy when it expires).</summary>
    /// <param name="tier">The tier.</param>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the shared removal.</param>
    /// <returns>A task that completes when the shared level no longer has the entry.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tier"/> is not a defined tier.</exception>
    public async ValueTask RemoveAsync(CacheTier tier, string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _ = EntryOptions(tier);
        _local.Remove(tier, key);
        await _shared.RemoveAsync(SharedKey(tier, key), cancellationToken).ConfigureAwait(false);
    }

    private HybridCacheEntryOptions EntryOptions(CacheTier tier)
        => tier is >= CacheTier.Node and <= CacheTier.System
            ? _entryOptions[(int)tier - 1]
            : throw new ArgumentOutOfRangeException(nameof(tier), tier, "Not a defined cache tier.");

    private static string SharedKey(CacheTier tier, string key) => tier switch
    {
        CacheTier.Node => "cosmos:node:" + key,
        CacheTier.Subtree => "cosmos:subtree:" + key,
        _ => "cosmos:system:" + key,
    };
}
