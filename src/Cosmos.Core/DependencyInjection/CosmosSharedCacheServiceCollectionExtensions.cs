using Cosmos.Core;
using Cosmos.Core.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Cosmos.Core's shared cache tier.</summary>
public static class CosmosSharedCacheServiceCollectionExtensions
{
    /// <summary>Adds <see cref="SharedTieredCache"/>: Cosmos.Core's <see cref="TieredCache"/> in front of the container's
    /// <see cref="HybridCache"/>. Register the shared level first, e.g. <c>services.AddStackExchangeRedisCache(...)</c> and
    /// <c>services.AddHybridCache()</c> for a Redis-backed level shared by every instance.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddCosmosSharedCache(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddCosmosCore();
        services.TryAddSingleton(static sp => new SharedTieredCache(
            sp.GetRequiredService<TieredCache>(),
            sp.GetRequiredService<HybridCache>(),
            sp.GetRequiredService<IOptions<CosmosCoreOptions>>().Value.Cache));
        return services;
    }
}
