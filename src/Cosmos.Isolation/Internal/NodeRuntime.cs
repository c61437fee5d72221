using System.Collections.Concurrent;
using Cosmos.Core;
using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Internal;

/// <summary>The live state of one node: its pipelines, breaker handles, window, counters and isolation state.</summary>
/// <remarks>Fields read by the call path are volatile or interlocked; the rest is written under the engine lock.</remarks>
internal sealed class NodeRuntime
{
    private long _admissionBits = BitConverter.DoubleToInt64Bits(1.0);
    private long _impactBits;
    private long _healthBits = BitConverter.DoubleToInt64Bits(1.0);

    public NodeRuntime(IsolationNode declaration, LayerIsolationOptions settings, SlidingWindow window)
    {
        Declaration = declaration;
        Id = declaration.Id;
        Layer = declaration.Layer;
        ExemptFromGlobal = declaration.ExemptFromGlobalIsolation;
        Settings = settings;
        Window = window;
    }

    public string Id { get; }

    public CosmicLayer Layer { get; }

    public IsolationNode Declaration { get; }

    public bool ExemptFromGlobal { get; }

    public volatile LayerIsolationOptions Settings;

    public volatile SlidingWindow Window;

    public CircuitBreakerManualControl ManualControl { get; } = new();

    public CircuitBreakerStateProvider StateProvider { get; } = new();

    public ResiliencePipeline Pipeline { get; set; } = ResiliencePipeline.Empty;

    public ConcurrentDictionary<Type, object> TypedPipelines { get; } = new();

    // Call path state.
    public int ConsecutiveFailures;
    public volatile bool Blocked;
    public volatile IsolationLevel BlockLevel;
    public long AdmissionCounter;

    // Outcome counters: every call that reaches the node's gate lands in exactly one of them,
    // except calls rejected by the Polly breaker itself (BrokenCircuitException), which never reach the observer.
    public long Successes;
    public long Failures;
    public long SlowCalls;
    public long Cancelled;
    public long Rejected;
    public long DependencyRejections;

    // Graph-derived inputs of the impact formula, refreshed when the topology changes.
    public volatile int Index;
    public double BlastRadius;
    public double FanIn;

    // Engine-lock state.
    public IsolationLevel DetectedLevel;
    public IsolationLevel OwnLevel;
    public bool Manual;
    public RecoveryStage Recovery;
    public DateTimeOffset IsolatedAt;
    public double OwnAdmission;
    public string? BlockedBy;
    public IsolationLevel PublishedLevel;
    public RecoveryStage PublishedRecovery;
    public bool BreakerIsolated;

    public double Admission
    {
        get => BitConverter.Int64BitsToDouble(Volatile.Read(ref _admissionBits));
        set => Volatile.Write(ref _admissionBits, BitConverter.DoubleToInt64Bits(value));
    }

    public double Impact
    {
        get => BitConverter.Int64BitsToDouble(Volatile.Read(ref _impactBits));
        set => Volatile.Write(ref _impactBits, BitConverter.DoubleToInt64Bits(value));
    }

    public double Health
    {
        get => BitConverter.Int64BitsToDouble(Volatile.Read(ref _healthBits));
        set => Volatile.Write(ref _healthBits, BitConverter.DoubleToInt64Bits(value));
    }

    /// <summary>Admits exactly floor(k · p) of the first k blocked calls while the admission fraction p stays constant.</summary>
    public bool TryAdmit()
    {
        var fraction = Admission;
        if (fraction <= 0)
        {
            return false;
        }

        if (fraction >= 1)
        {
            return true;
        }

        var k = Interlocked.Increment(ref AdmissionCounter);
        return (long)(k * fraction) > (long)((k - 1) * fraction);
    }
}
