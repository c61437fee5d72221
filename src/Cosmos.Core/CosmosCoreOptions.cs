using System.ComponentModel.DataAnnotations;
using Cosmos.Core.Caching;
using Cosmos.Core.Execution;
using Cosmos.Core.Graph;
using Cosmos.Core.Layers;
using Cosmos.Core.Memory;
using Microsoft.Extensions.Options;

namespace Cosmos.Core;

/// <summary>Options for the Cosmos.Core services registered by <c>AddCosmosCore</c>: one property per feature, each holding that feature's own options.</summary>
/// <remarks>
/// Validated when the host starts; a bad value fails naming its path, for example <c>CosmosCoreOptions.Cache.Subtree.TimeToLive</c>.
/// Binds from configuration section by section: <c>Layers:WarningRatio</c>, <c>MemoryPool:ChunkCount</c>, <c>Cache:Node:SizeLimit</c>.
/// </remarks>
public sealed class CosmosCoreOptions
{
    /// <summary>Gets or sets the seven-layer model's settings (escape velocities, warning ratio, impact weights) used to build the registered <see cref="LayerModel"/>.</summary>
    /// <value>The default is the SPEC's model: escape velocities 0.12 … 0.38, warning ratio 0.8, weights 0.4 / 0.3 / 0.3.</value>
    [Required]
    [ValidateObjectMembers]
    public LayerOptions Layers { get; set; } = new();

    /// <summary>Gets or sets the settings of the <see cref="ChunkPool"/> registered in DI.</summary>
    /// <value>The default is 1000 chunks of 1024 bytes, trimmed at 80 % GC memory load.</value>
    [Required]
    [ValidateObjectMembers]
    public ChunkPoolOptions MemoryPool { get; set; } = new();

    /// <summary>Gets or sets the settings of the <see cref="TieredCache"/> registered in DI.</summary>
    /// <value>The default is L1 5 min / 100 MB, L2 30 min / 500 MB, L3 2 h / 2 GB.</value>
    [Required]
    [ValidateObjectMembers]
    public TieredCacheOptions Cache { get; set; } = new();

    /// <summary>Gets or sets the settings of the <see cref="ParallelNodeExecutor"/> registered in DI.</summary>
    /// <value>The default runs at most 8 nodes at a time.</value>
    [Required]
    [ValidateObjectMembers]
    public ParallelExecutorOptions Executor { get; set; } = new();

    /// <summary>Gets or sets the settings to create an <see cref="ImpactPropagator"/> with: <c>new ImpactPropagator(graph, options.Propagation)</c>.</summary>
    /// <value>The default decays impact by 0.1 per hop, splits it across the fan-out and stops after 16 hops.</value>
    [Required]
    [ValidateObjectMembers]
    public PropagationOptions Propagation { get; set; } = new();
}
