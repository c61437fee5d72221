namespace Cosmos.Core.Telemetry;

/// <summary>The names under which Cosmos.Core reports metrics, traces and logs, for a host to subscribe to.</summary>
/// <remarks>
/// <para>Subscribe with OpenTelemetry as <c>metrics.AddMeter(CoreTelemetry.MeterName)</c> and
/// <c>tracing.AddSource(CoreTelemetry.ActivitySourceName)</c>. Instruments are named lower-case and dotted, with their
/// unit in the instrument's <c>Unit</c>; tags are named the same way. Spans are only created when a listener samples
/// them, so an untraced host pays one branch per operation.</para>
/// <para>Log events from Cosmos.Core use event ids 1000 to 1999.</para>
/// </remarks>
public static class CoreTelemetry
{
    /// <summary>The name of the package's <see cref="System.Diagnostics.Metrics.Meter"/>: <c>Cosmos.Core</c>.</summary>
    public const string MeterName = "Cosmos.Core";

    /// <summary>The name of the package's <see cref="System.Diagnostics.ActivitySource"/>: <c>Cosmos.Core</c>.</summary>
    public const string ActivitySourceName = "Cosmos.Core";

    /// <summary>Observable up-down counter, <c>{chunk}</c>: chunks currently rented from the <c>ChunkPool</c>.</summary>
    public const string PoolRented = "cosmos.core.pool.rented";

    /// <summary>Observable up-down counter, <c>{chunk}</c>: chunks currently free in the <c>ChunkPool</c>.</summary>
    public const string PoolAvailable = "cosmos.core.pool.available";

    /// <summary>Observable counter, <c>{miss}</c>: rent attempts that found the <c>ChunkPool</c> exhausted.</summary>
    public const string PoolMisses = "cosmos.core.pool.misses";

    /// <summary>Observable up-down counter, <c>By</c>: bytes of chunk buffers currently allocated.</summary>
    public const string PoolAllocated = "cosmos.core.pool.allocated";

    /// <summary>Observable counter, <c>{chunk}</c>: free chunk buffers released under memory pressure.</summary>
    public const string PoolTrimmed = "cosmos.core.pool.trimmed";

    /// <summary>Observable counter, <c>{hit}</c>: <c>TieredCache</c> lookups that found a live entry, tagged with <see cref="CacheTierTag"/>.</summary>
    public const string CacheHits = "cosmos.core.cache.hits";

    /// <summary>Observable counter, <c>{miss}</c>: <c>TieredCache</c> lookups that found nothing, tagged with <see cref="CacheTierTag"/>.</summary>
    public const string CacheMisses = "cosmos.core.cache.misses";

    /// <summary>Observable counter, <c>{entry}</c>: entries evicted by expiry or capacity, tagged with <see cref="CacheTierTag"/>.</summary>
    public const string CacheEvictions = "cosmos.core.cache.evictions";

    /// <summary>Observable up-down counter, <c>{entry}</c>: entries currently stored, tagged with <see cref="CacheTierTag"/>.</summary>
    public const string CacheEntries = "cosmos.core.cache.entries";

    /// <summary>Observable up-down counter, <c>By</c>: sum of the stored entries' sizes, tagged with <see cref="CacheTierTag"/>.</summary>
    public const string CacheSize = "cosmos.core.cache.size";

    /// <summary>Counter, <c>{node}</c>: nodes handled by the <c>ParallelNodeExecutor</c>, tagged with <see cref="ExecutorStatusTag"/>.</summary>
    public const string ExecutorNodes = "cosmos.core.executor.nodes";

    /// <summary>Up-down counter, <c>{node}</c>: node bodies currently running in the <c>ParallelNodeExecutor</c>.</summary>
    public const string ExecutorActive = "cosmos.core.executor.active";

    /// <summary>The tag naming a cache tier: <c>node</c>, <c>subtree</c> or <c>system</c>.</summary>
    public const string CacheTierTag = "cosmos.core.cache.tier";

    /// <summary>The tag naming a node's outcome: <c>succeeded</c>, <c>failed</c>, <c>isolated</c> or <c>canceled</c>.</summary>
    public const string ExecutorStatusTag = "cosmos.core.executor.status";

    /// <summary>The tag carrying a node id on a span.</summary>
    public const string NodeIdTag = "cosmos.core.node.id";

    /// <summary>The tag carrying the number of nodes of an executor run or the number of sources of a propagation.</summary>
    public const string NodeCountTag = "cosmos.core.node.count";

    /// <summary>The span of one <c>ParallelNodeExecutor.ExecuteAsync</c> call; its children are <see cref="ExecuteNodeSpan"/> spans.</summary>
    public const string ExecuteRunSpan = "cosmos.core.executor.run";

    /// <summary>The span of one node body run by the <c>ParallelNodeExecutor</c>, tagged with <see cref="NodeIdTag"/> and <see cref="ExecutorStatusTag"/>.</summary>
    public const string ExecuteNodeSpan = "cosmos.core.executor.node";

    /// <summary>The span of one <c>ImpactPropagator.Propagate</c> call, tagged with <see cref="NodeCountTag"/> (the sources) and <see cref="PropagationReachedTag"/>.</summary>
    public const string PropagateSpan = "cosmos.core.propagation.propagate";

    /// <summary>The tag carrying the number of nodes a propagation reached with a non-zero impact.</summary>
    public const string PropagationReachedTag = "cosmos.core.propagation.reached";

    /// <summary>The span of one <c>ChunkPool.Trim</c>, tagged with <see cref="PoolReleasedTag"/>.</summary>
    public const string PoolTrimSpan = "cosmos.core.pool.trim";

    /// <summary>The tag carrying the number of chunk buffers a trim released.</summary>
    public const string PoolReleasedTag = "cosmos.core.pool.released";
}
