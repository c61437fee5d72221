using Cosmos.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Cosmos.Core services in an <see cref="IServiceCollection"/>.</summary>
public static partial class CosmosCoreServiceCollectionExtensions
{
    /// <summary>Adds the Cosmos.Core services and their options, validated when the host starts.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="CosmosCoreOptions"/>; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddCosmosCore(this IServiceCollection services, Action<CosmosCoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptionsWithValidateOnStart<CosmosCoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        AddLayers(services);
        AddInfrastructure(services);
        return services;
    }

    // Implemented in the Layers feature folder.
    static partial void AddLayers(IServiceCollection services);

    // Implemented in the Infrastructure feature folder.
    static partial void AddInfrastructure(IServiceCollection services);
}
