using Cosmos.Core.Caching;
using Cosmos.Core.Execution;
using Cosmos.Core.Graph;
using Cosmos.Core.Memory;

namespace Cosmos.Core;

// Infrastructure settings: memory pool, tiered cache, parallel executor and impact propagation.
public sealed partial class CosmosCoreOptions
{
    /// <summary>Gets or sets the settings of the <see cref="ChunkPool"/> registered in DI.</summary>
    /// <value>The default is 1000 chunks of 1024 bytes, trimmed at 80 % GC memory load.</value>
    public ChunkPoolOptions MemoryPool { get; set; } = new();

    /// <summary>Gets or sets the settings of the <see cref="TieredCache"/> registered in DI.</summary>
    /// <value>The default is L1 5 min / 100 MB, L2 30 min / 500 MB, L3 2 h / 2 GB.</value>
    public TieredCacheOptions Cache { get; set; } = new();

    /// <summary>Gets or sets the settings of the <see cref="ParallelNodeExecutor"/> registered in DI.</summary>
    /// <value>The default runs at most 8 nodes at a time.</value>
    public ParallelExecutorOptions Executor { get; set; } = new();

    /// <summary>Gets or sets the settings to create an <see cref="ImpactPropagator"/> with: <c>new ImpactPropagator(graph, options.Propagation)</c>.</summary>
    /// <value>The default decays impact by 0.1 per hop, splits it across the fan-out and stops after 16 hops.</value>
    public PropagationOptions Propagation { get; set; } = new();
}
