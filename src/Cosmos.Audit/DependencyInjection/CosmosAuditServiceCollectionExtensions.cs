using Cosmos.Audit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Cosmos.Audit services in an <see cref="IServiceCollection"/>.</summary>
public static partial class CosmosAuditServiceCollectionExtensions
{
    /// <summary>Adds the Cosmos.Audit services and their options, validated when the host starts.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="CosmosAuditOptions"/>; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddCosmosAudit(this IServiceCollection services, Action<CosmosAuditOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptionsWithValidateOnStart<CosmosAuditOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        AddIdentity(services);
        AddAuditLog(services);
        AddStores(services);
        return services;
    }

    // Implemented in the Identity feature folder.
    static partial void AddIdentity(IServiceCollection services);

    // Implemented in the AuditLog feature folder.
    static partial void AddAuditLog(IServiceCollection services);

    // Implemented with the token and event stores.
    static partial void AddStores(IServiceCollection services);
}
