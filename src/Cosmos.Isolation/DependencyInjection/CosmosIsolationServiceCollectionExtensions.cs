using Cosmos.Isolation;
using Cosmos.Core.Execution;
using Cosmos.Isolation.Internal;
using Cosmos.Isolation.Internal.Validators;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Cosmos.Isolation engine in an <see cref="IServiceCollection"/>.</summary>
public static class CosmosIsolationServiceCollectionExtensions
{
    /// <summary>Adds the isolation engine (<see cref="IIsolationEngine"/>, also Cosmos.Core's <see cref="INodeIsolationGate"/> so the parallel executor bypasses isolated nodes), its health check and Cosmos.Core, with options validated at start.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Declares nodes and tunes thresholds; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddCosmosIsolation(this IServiceCollection services, Action<CosmosIsolationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddCosmosCore();
        var options = services.AddOptionsWithValidateOnStart<CosmosIsolationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosIsolationOptions>, CosmosIsolationOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosIsolationOptions>, CosmosIsolationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IsolationEngine>();
        services.TryAddSingleton<IIsolationEngine>(sp => sp.GetRequiredService<IsolationEngine>());
        services.TryAddSingleton<INodeIsolationGate>(sp => sp.GetRequiredService<IsolationEngine>());
        services.TryAddSingleton<IsolationHealthCheck>();
        return services;
    }
}
