using System.ComponentModel.DataAnnotations;
using Cosmos.Core;

namespace Cosmos.Isolation;

/// <summary>Per-layer circuit-breaker, slow-call, retry and fallback settings.</summary>
public sealed class LayerIsolationOptions
{
    /// <summary>Consecutive failed (or slow) calls that open the node's circuit breaker; a success resets the count.</summary>
    /// <value>The default value is 5. Polly's breaker needs at least 2 calls in its sampling window, hence the lower bound.</value>
    [Range(2, 10_000)]
    public int FailureThreshold { get; set; } = 5;

    /// <summary>How long an opened breaker rejects calls before it lets one probe through (half-open); also how long an
    /// automatically isolated node waits before its health score is judged.</summary>
    /// <value>The default value is 60 seconds. Polly requires at least 0.5 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A call slower than this counts as a failure in the node's window and against its breaker.
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns slow-call detection off; a guarded call then reads the clock once instead of twice.</summary>
    /// <value>The default value depends on the layer: 100 ms on L1 up to 10 s on L7.</value>
    public TimeSpan SlowCallThreshold { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Automatic retries of a failed call. Only L1 pipelines carry a retry strategy (SPEC: L1 recovers by automatic retry).</summary>
    /// <value>The default value is 2 on L1 and 0 elsewhere.</value>
    [Range(0, 10)]
    public int RetryAttempts { get; set; }

    /// <summary>When <see langword="true"/>, a declared fallback also answers ordinary failures, not only isolation and open breakers.</summary>
    /// <value>The default value is <see langword="true"/> on L3 (SPEC: algorithm substitution) and <see langword="false"/> elsewhere.</value>
    public bool FallbackOnFailure { get; set; }

    /// <summary>The SPEC defaults for <paramref name="layer"/>.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>A new options instance.</returns>
    public static LayerIsolationOptions CreateDefault(CosmicLayer layer) => new()
    {
        SlowCallThreshold = layer switch
        {
            CosmicLayer.Quantum => TimeSpan.FromMilliseconds(100),
            CosmicLayer.Atomic => TimeSpan.FromMilliseconds(250),
            CosmicLayer.Molecular => TimeSpan.FromMilliseconds(500),
            CosmicLayer.Compound => TimeSpan.FromSeconds(1),
            CosmicLayer.Organic => TimeSpan.FromSeconds(2),
            CosmicLayer.Ecosystem => TimeSpan.FromSeconds(5),
            _ => TimeSpan.FromSeconds(10),
        },
        RetryAttempts = layer == CosmicLayer.Quantum ? 2 : 0,
        FallbackOnFailure = layer == CosmicLayer.Molecular,
    };

    internal LayerIsolationOptions Clone() => (LayerIsolationOptions)MemberwiseClone();
}
