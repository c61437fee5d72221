using System.Collections.Concurrent;
using Cosmos.Core;
using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Internal;

/// <summary>One node: its declaration, settings, breaker handles and pipelines, with its call-path counters, its decision
/// state and the verdict the controller published for the call path.</summary>
internal sealed class NodeRuntime
{
    private volatile NodeVerdict _verdict = NodeVerdict.Pass;
    private volatile LayerIsolationOptions _settings = null!;
    private long _slowCallTicks;

    public NodeRuntime(IsolationNode declaration, LayerIsolationOptions settings, SlidingWindow window, long timestampFrequency)
    {
        Declaration = declaration;
        Id = declaration.Id;
        Layer = declaration.Layer;
        ExemptFromGlobal = declaration.ExemptFromGlobalIsolation;
        Apply(settings, timestampFrequency);
        Counters = new NodeCounters(window);
    }

    public string Id { get; }

    public CosmicLayer Layer { get; }

    public IsolationNode Declaration { get; }

    public bool ExemptFromGlobal { get; }

    public LayerIsolationOptions Settings => _settings;

    /// <summary>The slow-call threshold in <see cref="TimeProvider"/> timestamp units, so a call compares two timestamps and converts nothing.</summary>
    public long SlowCallTicks => Volatile.Read(ref _slowCallTicks);

    /// <summary>Applies (re)loaded layer settings; breakers read them live.</summary>
    public void Apply(LayerIsolationOptions settings, long timestampFrequency)
    {
        // Infinite: slow-call detection is off, and a call reads the clock once (for its window bucket).
        var ticks = settings.SlowCallThreshold == Timeout.InfiniteTimeSpan
            ? double.PositiveInfinity
            : settings.SlowCallThreshold.Ticks * (double)timestampFrequency / TimeSpan.TicksPerSecond;
        Volatile.Write(ref _slowCallTicks, ticks >= long.MaxValue ? long.MaxValue : (long)ticks);
        _settings = settings;
    }

    public NodeCounters Counters { get; }

    public NodeDecision Decision { get; } = new();

    public NodeVerdict Verdict
    {
        get => _verdict;
        set => _verdict = value;
    }

    public CircuitBreakerManualControl ManualControl { get; } = new();

    public CircuitBreakerStateProvider StateProvider { get; } = new();

    /// <summary>The node's guard: the strategy its pipelines run, and the entry failover uses to run a call on this node.</summary>
    public NodeGuardStrategy Guard { get; set; } = null!;

    public ResiliencePipeline Pipeline { get; set; } = ResiliencePipeline.Empty;

    public ConcurrentDictionary<Type, object> TypedPipelines { get; } = new();

    // Graph-derived inputs of the impact formula and failover targets, refreshed when the topology changes.
    public int Index { get; set; }

    public double BlastRadius { get; set; }

    public double FanIn { get; set; }

    public NodeRuntime[]? Alternates { get; set; }
}
