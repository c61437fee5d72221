using System.Diagnostics.Metrics;
using Cosmos.Core;
using Cosmos.Core.Caching;
using Cosmos.Core.Execution;
using Cosmos.Core.Internal;
using Cosmos.Core.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

// Registers the Cosmos.Core infrastructure: meter, chunk pool, tiered cache and parallel executor.
public static partial class CosmosCoreServiceCollectionExtensions
{
    static partial void AddInfrastructure(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosCoreOptions>, InfrastructureOptionsValidator>());
        services.TryAddSingleton(static sp => new CosmosCoreMeter(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(static sp => new ChunkPool(
            sp.GetRequiredService<IOptions<CosmosCoreOptions>>().Value.MemoryPool,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CosmosCoreMeter>(),
            null));
        services.TryAddSingleton(static sp => new TieredCache(
            sp.GetRequiredService<IOptions<CosmosCoreOptions>>().Value.Cache,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CosmosCoreMeter>()));

        // The isolation gate is optional: an isolation engine registers one whenever it is added, before or after this.
        services.TryAddSingleton(static sp => new ParallelNodeExecutor(
            sp.GetRequiredService<IOptions<CosmosCoreOptions>>().Value.Executor,
            sp.GetService<INodeIsolationGate>(),
            sp.GetRequiredService<CosmosCoreMeter>()));
    }
}
