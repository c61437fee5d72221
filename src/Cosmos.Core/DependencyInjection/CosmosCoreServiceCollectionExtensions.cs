using System.Diagnostics.Metrics;
using Cosmos.Core;
using Cosmos.Core.Caching;
using Cosmos.Core.Execution;
using Cosmos.Core.Internal.Validators;
using Cosmos.Core.Layers;
using Cosmos.Core.Memory;
using Cosmos.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Cosmos.Core services in an <see cref="IServiceCollection"/>.</summary>
public static class CosmosCoreServiceCollectionExtensions
{
    /// <summary>Adds the Cosmos.Core services and their options, validated when the host starts.</summary>
    /// <remarks>
    /// Registers, once each: the <see cref="LayerModel"/> built from <see cref="CosmosCoreOptions.Layers"/>, a <see cref="ChunkPool"/>,
    /// a <see cref="TieredCache"/> and a <see cref="ParallelNodeExecutor"/> (which asks an <see cref="INodeIsolationGate"/> when one
    /// is registered), all reporting on the <c>Cosmos.Core</c> meter, plus <see cref="TimeProvider.System"/> unless a
    /// <see cref="TimeProvider"/> is already registered.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures <see cref="CosmosCoreOptions"/>; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddCosmosCore(this IServiceCollection services, Action<CosmosCoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptionsWithValidateOnStart<CosmosCoreOptions, CosmosCoreOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosCoreOptions>, CosmosCoreOptionsCustomValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new CoreInstrumentation(sp.GetService<IMeterFactory>()));
        AddLayers(services);
        AddInfrastructure(services);
        return services;
    }

    private static void AddLayers(IServiceCollection services)
        => services.TryAddSingleton(static sp => LayerModel.Create(sp.GetRequiredService<IOptions<CosmosCoreOptions>>().Value.Layers));

    private static void AddInfrastructure(IServiceCollection services)
    {
        services.TryAddSingleton(static sp => new ChunkPool(
            sp.GetRequiredService<IOptions<CosmosCoreOptions>>().Value.MemoryPool,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CoreInstrumentation>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<ChunkPool>(),
            null));
        services.TryAddSingleton(static sp => new TieredCache(
            sp.GetRequiredService<IOptions<CosmosCoreOptions>>().Value.Cache,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CoreInstrumentation>()));

        // The isolation gate is optional: an isolation engine registers one whenever it is added, before or after this.
        services.TryAddSingleton(static sp => new ParallelNodeExecutor(
            sp.GetRequiredService<IOptions<CosmosCoreOptions>>().Value.Executor,
            sp.GetService<INodeIsolationGate>(),
            sp.GetRequiredService<CoreInstrumentation>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<ParallelNodeExecutor>()));
    }
}
