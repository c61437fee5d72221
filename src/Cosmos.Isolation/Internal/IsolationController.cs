using System.Diagnostics.Metrics;
using Cosmos.Core;
using Cosmos.Isolation.Telemetry;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Internal;

/// <summary>The one owner of isolation decisions: detection, escalation, recovery and failover, like Polly's circuit state
/// controller owns a breaker's transitions. Calls reach it only through <see cref="INodeCallObserver"/>.</summary>
/// <remarks>
/// Every decision runs under <see cref="_lock"/> and ends with <see cref="Publish"/>, which recomputes each node's
/// <see cref="NodeVerdict"/> and stores it before the lock is released: once a snapshot says a node passes, its calls pass.
/// Polly breakers are brought in line synchronously inside the same step (a node admitted again has its breaker closed
/// before its verdict admits), so no background task can leave a breaker behind the published state.
/// </remarks>
internal sealed partial class IsolationController : INodeCallObserver, IDisposable
{
    internal const string GlobalNodeId = "*";

    private readonly Lock _lock = new();
    private readonly LayerModel _layers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IsolationInstruments _instruments;
    private readonly CallClock _clock;
    private volatile Topology _topology;
    private volatile Settings _settings;
    private volatile bool _globalBlocked;
    private bool _globalManual;
    private DateTimeOffset _globalSince;
    private double _independentShare;
    private List<NodeStateChangedEventArgs> _pending = [];
    private bool _disposed;

    public IsolationController(Settings settings, IEnumerable<IsolationNode> declarations, LayerModel layers, TimeProvider time, ILogger logger, IMeterFactory? meterFactory)
    {
        _layers = layers;
        _time = time;
        _logger = logger;
        _settings = settings;
        _clock = new CallClock(time, settings.SmallestTimeScale);
        _topology = Topology.Build([.. declarations.Select(CreateRuntime)]);
        _instruments = new IsolationInstruments(meterFactory, this);
    }

    public event EventHandler<NodeStateChangedEventArgs>? StateChanged;

    /// <summary>The object raised as the sender of <see cref="StateChanged"/>.</summary>
    public object? EventSender { get; set; }

    public bool GlobalBlocked => _globalBlocked;

    public double IndependentFailureShare => Volatile.Read(ref _independentShare);

    public Topology Topology => _topology;

    public IReadOnlyList<NodeRuntime> Nodes => _topology.Nodes;

    public Settings Settings => _settings;

    public TimeProvider TimeProvider => _time;

    /// <summary>The call clock the guards and the node breakers read.</summary>
    public CallClock CallClock => _clock;

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _instruments.Dispose();
        _clock.Dispose();
    }

    private NodeRuntime CreateRuntime(IsolationNode declaration)
    {
        var settings = _settings;
        var runtime = new NodeRuntime(declaration, settings.Layers[declaration.Layer], settings.CreateWindow(_time), _time.TimestampFrequency);
        NodePipelineFactory.Build(this, runtime, _time, _clock);
        return runtime;
    }

    private bool IsCurrent(NodeRuntime node)
    {
        var topology = _topology;
        return topology.Index.TryGetValue(node.Id, out var index) && ReferenceEquals(topology.Nodes[index], node);
    }

    /// <summary>Runs <paramref name="decide"/> under the lock, publishes the verdicts, and raises the events after the lock.</summary>
    private void Decide<TState>(TState state, Action<IsolationController, TState> decide)
    {
        List<NodeStateChangedEventArgs>? changes;
        lock (_lock)
        {
            if (_disposed)
            {
                // A call or timer racing the host's shutdown: nothing to decide any more.
                return;
            }

            decide(this, state);
            changes = Publish();
        }

        Raise(changes);
    }

    private void Raise(List<NodeStateChangedEventArgs>? changes)
    {
        if (changes is null)
        {
            return;
        }

        var handler = StateChanged;
        foreach (var change in changes)
        {
            handler?.Invoke(EventSender ?? this, change);
        }
    }

    public void OnBreakerChanged(NodeRuntime node, CircuitState state, bool isManual)
    {
        Log.BreakerChanged(_logger, node.Id, state, isManual);
        var decision = node.Decision;
        var level = decision.PublishedLevel;
        StateChanged?.Invoke(EventSender ?? this, new NodeStateChangedEventArgs(node.Id, level, level, decision.PublishedRecovery, state, decision.Health, decision.Impact, _time.GetUtcNow()));
    }

    /// <summary>Recomputes every node's verdict from the own isolations, subtree roots, failover and the global breaker,
    /// stores them for the call path, and returns the events to raise once the lock is released.</summary>
    private List<NodeStateChangedEventArgs>? Publish()
    {
        var topology = _topology;
        var nodes = topology.Nodes;
        var verdicts = new NodeVerdict?[nodes.Length];
        var levels = new IsolationLevel[nodes.Length];
        var now = _time.GetUtcNow();
        var trialCalls = _settings.Options.Recovery.TrialCalls;

        // Own isolations first.
        for (var i = 0; i < nodes.Length; i++)
        {
            var decision = nodes[i].Decision;
            levels[i] = decision.Own >= IsolationLevel.Local ? decision.Own : decision.Detected;
            if (decision.Own >= IsolationLevel.Local)
            {
                verdicts[i] = OwnVerdict(nodes[i], nodes[i], decision.Own, now, trialCalls);
            }
            else if (ImposedVerdict(nodes[i]) is { } imposed)
            {
                verdicts[i] = imposed;
                levels[i] = IsolationLevel.Local;
            }
        }

        // Subtree roots block their dependents, unless a live alternate keeps serving the root's calls.
        for (var i = 0; i < nodes.Length; i++)
        {
            var root = nodes[i];
            if (root.Decision.Own != IsolationLevel.Subtree || HasLiveAlternate(root))
            {
                continue;
            }

            foreach (var d in topology.Dependents(root))
            {
                if (nodes[d].Decision.Own < IsolationLevel.Local)
                {
                    verdicts[d] ??= OwnVerdict(nodes[d], root, IsolationLevel.Subtree, now, trialCalls);
                    levels[d] = IsolationLevel.Subtree;
                }
            }
        }

        var global = _globalBlocked;
        DateTimeOffset? globalRetry = _globalManual ? null : _globalSince + _settings.Layers[CosmicLayer.Cosmos].BreakDuration;
        var changes = _pending;
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            var decision = node.Decision;
            var verdict = verdicts[i];
            // Global isolation blocks every non-exempt node, except calls that gather a node's fresh evidence: the failing
            // node's trial calls are what can end the global isolation it caused.
            if (global && !node.ExemptFromGlobal && verdict?.Admission is not (AdmissionKind.Trial or AdmissionKind.Partial))
            {
                verdict = new NodeVerdict(IsolationLevel.Global, GlobalNodeId, globalRetry, AdmissionKind.None, 0, null, globalOnly: verdict is null, node.Alternates);
                levels[i] = IsolationLevel.Global;
            }

            verdict ??= NodeVerdict.Pass;
            if (verdict.Admission != AdmissionKind.None && node.StateProvider.CircuitState != CircuitState.Closed)
            {
                CloseBreaker(node);
            }

            decision.BlockedBy = verdict.Passes ? null : verdict.CauseNodeId;
            node.Verdict = verdict;

            var recovery = decision.Own >= IsolationLevel.Local ? decision.Recovery : RecoveryStage.None;
            if (levels[i] != decision.PublishedLevel || recovery != decision.PublishedRecovery)
            {
                var previous = decision.PublishedLevel;
                decision.PublishedLevel = levels[i];
                decision.PublishedRecovery = recovery;
                if (previous != levels[i])
                {
                    _instruments.Transition(node.Id, previous, levels[i]);
                    Log.LevelChanged(_logger, node.Id, node.Layer, previous, levels[i], decision.Impact, decision.Health);
                }

                changes.Add(new NodeStateChangedEventArgs(node.Id, previous, levels[i], recovery, node.StateProvider.CircuitState, decision.Health, decision.Impact, now));
            }
        }

        _pending = [];
        return changes.Count == 0 ? null : changes;
    }

    /// <summary>The verdict for a node blocked by <paramref name="owner"/>'s isolation (itself or its subtree root).</summary>
    private NodeVerdict OwnVerdict(NodeRuntime node, NodeRuntime owner, IsolationLevel level, DateTimeOffset now, int trialCalls)
    {
        var decision = owner.Decision;
        var breakDuration = owner.Settings.BreakDuration;
        return decision.Recovery switch
        {
            RecoveryStage.Trial when owner.Declaration.Probe is null
                => new NodeVerdict(level, owner.Id, now, AdmissionKind.Trial, trialCalls, owner, false, node.Alternates),
            RecoveryStage.Trial
                => new NodeVerdict(level, owner.Id, now + _settings.Options.EvaluationInterval, AdmissionKind.None, 0, owner, false, node.Alternates),
            RecoveryStage.Partial
                => new NodeVerdict(level, owner.Id, now, AdmissionKind.Partial, decision.Admission, owner, false, node.Alternates),
            RecoveryStage.Waiting
                => new NodeVerdict(level, owner.Id, decision.IsolatedAt + breakDuration, AdmissionKind.None, 0, owner, false, node.Alternates),
            _ => new NodeVerdict(level, owner.Id, null, AdmissionKind.None, 0, owner, false, node.Alternates),
        };
    }

    private bool HasLiveAlternate(NodeRuntime node)
    {
        if (node.Alternates is null)
        {
            return false;
        }

        foreach (var alternate in node.Alternates)
        {
            if (alternate.Decision.Own < IsolationLevel.Local && !(_globalBlocked && !alternate.ExemptFromGlobal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Closes the node's Polly breaker. The state change happens synchronously inside the call (Polly's controller
    /// sets it under its lock before awaiting its OnClosed callback), so the verdict published next never meets an open breaker.</summary>
    private void CloseBreaker(NodeRuntime node)
    {
        Volatile.Write(ref node.Counters.ConsecutiveFailures, 0);
        var closing = node.ManualControl.CloseAsync(CancellationToken.None);
        if (!closing.IsCompleted)
        {
            _ = closing.ContinueWith(
                static (task, state) => Log.EvaluationFailed((ILogger)state!, task.Exception!),
                _logger,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }
}
