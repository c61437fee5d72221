using System.Diagnostics.Metrics;
using Cosmos.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Internal;

/// <summary>The isolation engine: one pipeline and breaker per node, detection from sliding windows, escalation over the
/// dependency graph, recovery by health score.</summary>
/// <remarks>
/// Calls read only volatile fields. Every state change runs under <see cref="_gate"/>, then republishes the per-node
/// flags; Polly breakers are brought in line afterwards under an async gate so that the last decision always wins.
/// </remarks>
internal sealed partial class IsolationEngine : IIsolationEngine, IDisposable
{
    internal const string GlobalNodeId = "*";

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _breakerGate = new(1, 1);
    private readonly LayerModel _layers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IsolationMetrics _metrics;
    private readonly IDisposable? _reloadSubscription;
    private readonly CircuitBreakerManualControl _globalControl = new();
    private readonly CircuitBreakerStateProvider _globalState = new();
    private readonly ResiliencePipeline _globalBreaker;
    private readonly ITimer _timer;
    private volatile Topology _topology;
    private volatile Settings _settings;
    private volatile bool _globalBlocked;
    private bool _globalManual;
    private DateTimeOffset _globalSince;
    private bool _globalBreakerIsolated;
    private bool _disposed;

    public IsolationEngine(
        IOptionsMonitor<CosmosIsolationOptions> options,
        LayerModel layers,
        TimeProvider timeProvider,
        ILogger<IsolationEngine>? logger = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _layers = layers;
        _time = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;

        // Reading CurrentValue runs the validators: a bad declaration fails here, naming the node.
        var current = options.CurrentValue;
        _settings = Settings.From(current);
        var runtimes = new List<NodeRuntime>(current.Nodes.Count);
        foreach (var declaration in current.Nodes)
        {
            runtimes.Add(CreateRuntime(declaration.Clone()));
        }

        _topology = Topology.Build(runtimes);
        _globalBreaker = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = "Cosmos.Isolation", InstanceName = GlobalNodeId }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions { ManualControl = _globalControl, StateProvider = _globalState })
            .Build();
        _metrics = new IsolationMetrics(meterFactory, this);
        _reloadSubscription = options.OnChange(ApplyOptions);
        _timer = timeProvider.CreateTimer(static state => ((IsolationEngine)state!).OnTimer(), this, _settings.EvaluationInterval, _settings.EvaluationInterval);
    }

    public event EventHandler<NodeStateChangedEventArgs>? StateChanged;

    public bool IsGloballyIsolated => _globalBlocked;

    internal bool GlobalBlocked => _globalBlocked;

    internal TimeProvider TimeProvider => _time;

    internal IReadOnlyList<NodeRuntime> Nodes => _topology.Nodes;

    public ResiliencePipeline GetPipeline(string nodeId) => Find(nodeId).Pipeline;

    public ResiliencePipeline<TResult> GetPipeline<TResult>(string nodeId)
    {
        var node = Find(nodeId);
        return (ResiliencePipeline<TResult>)node.TypedPipelines.GetOrAdd(
            typeof(TResult),
            static (_, state) => NodePipelineFactory.CreateTyped<TResult>(state.node, state.time),
            (node, time: _time));
    }

    public bool IsIsolated(string nodeId)
    {
        var topology = _topology;
        if (nodeId is null || !topology.Index.TryGetValue(nodeId, out var index))
        {
            return false;
        }

        var node = topology.Nodes[index];
        return node.Blocked || (_globalBlocked && !node.ExemptFromGlobal);
    }

    public NodeState GetState(string nodeId) => ToState(Find(nodeId));

    public IsolationSnapshot GetSnapshot()
    {
        var nodes = _topology.Nodes;
        var states = new NodeState[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            states[i] = ToState(nodes[i]);
        }

        return new IsolationSnapshot(_time.GetUtcNow(), _globalBlocked, _globalState.CircuitState, SystemVelocity(nodes), states);
    }

    public void ReportOutcome(string nodeId, bool success, TimeSpan latency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        RecordOutcome(Find(nodeId), !success, latency, _time.GetTimestamp());
    }

    public IsolationLevel ReportImpact(string nodeId, double impact)
    {
        if (double.IsNaN(impact) || impact is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(impact), impact, "An impact must be in [0, 1].");
        }

        var node = Find(nodeId);
        var level = ToLevel(_layers.Classify(node.Layer, impact));
        List<NodeStateChangedEventArgs>? changes;
        lock (_gate)
        {
            node.Impact = impact;
            Detect(node, level);
            changes = Publish();
        }

        Raise(changes);
        _ = SyncBreakersAsync(CancellationToken.None);
        return level;
    }

    public void ReportHealth(string nodeId, double health)
    {
        if (double.IsNaN(health) || health is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(health), health, "A health score must be in [0, 1].");
        }

        Find(nodeId).Health = health;
    }

    public Task EvaluateAsync(CancellationToken cancellationToken = default)
    {
        List<NodeStateChangedEventArgs>? changes;
        lock (_gate)
        {
            Evaluate();
            changes = Publish();
        }

        Raise(changes);
        return SyncBreakersAsync(cancellationToken);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _timer.Dispose();
        _reloadSubscription?.Dispose();
        _metrics.Dispose();
        _breakerGate.Dispose();
    }

    /// <summary>Hot path: records one observed outcome; a failed or slow call also runs detection for the node.</summary>
    internal void RecordOutcome(NodeRuntime node, bool failed, TimeSpan latency, long timestamp)
    {
        var slow = !failed && latency > node.Settings.SlowCallThreshold;
        var bad = failed || slow;
        node.Window.Record(timestamp, bad);
        if (!bad)
        {
            Interlocked.Increment(ref node.Successes);
            if (Volatile.Read(ref node.ConsecutiveFailures) != 0)
            {
                Volatile.Write(ref node.ConsecutiveFailures, 0);
            }

            return;
        }

        Interlocked.Increment(ref failed ? ref node.Failures : ref node.SlowCalls);
        Interlocked.Increment(ref node.ConsecutiveFailures);
        DetectFromWindow(node, timestamp);
    }

    internal void RecordRejection(NodeRuntime node, IsolationLevel level)
    {
        Interlocked.Increment(ref node.Rejected);
        _metrics.Rejected(node, level);
    }

    internal void OnBreakerChanged(NodeRuntime node, CircuitState state, bool isManual)
    {
        Log.BreakerChanged(_logger, node.Id, state, isManual);
        var level = node.PublishedLevel;
        StateChanged?.Invoke(this, new NodeStateChangedEventArgs(node.Id, level, level, node.PublishedRecovery, state, node.Health, node.Impact, _time.GetUtcNow()));
    }

    private NodeRuntime Find(string nodeId)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        var topology = _topology;
        return topology.Index.TryGetValue(nodeId, out var index)
            ? topology.Nodes[index]
            : throw new KeyNotFoundException($"No isolation node has the id '{nodeId}'.");
    }

    private NodeRuntime CreateRuntime(IsolationNode declaration)
    {
        var settings = _settings;
        var runtime = new NodeRuntime(declaration, settings.Layers[declaration.Layer], settings.CreateWindow(_time));
        runtime.Pipeline = NodePipelineFactory.CreateCore(this, runtime, _time);
        return runtime;
    }

    private NodeState ToState(NodeRuntime node)
    {
        var level = node.PublishedLevel;
        if (_globalBlocked && !node.ExemptFromGlobal)
        {
            level = IsolationLevel.Global;
        }

        return new NodeState(
            node.Id,
            node.Layer,
            level,
            node.Health,
            node.Impact,
            node.StateProvider.CircuitState,
            node.PublishedRecovery,
            node.Blocked ? node.Admission : 1.0,
            node.BlockedBy,
            Interlocked.Read(ref node.Successes),
            Interlocked.Read(ref node.Failures),
            Interlocked.Read(ref node.SlowCalls),
            Interlocked.Read(ref node.Rejected),
            Interlocked.Read(ref node.DependencyRejections));
    }

    private void OnTimer()
    {
        try
        {
            _ = EvaluateAsync(CancellationToken.None).ContinueWith(
                static (task, state) => Log.EvaluationFailed(((IsolationEngine)state!)._logger, task.Exception!),
                this,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
#pragma warning disable CA1031 // A timer callback must not throw: the failure is logged and the next tick retries.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.EvaluationFailed(_logger, ex);
        }
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
            handler?.Invoke(this, change);
        }
    }

    private static IsolationLevel ToLevel(ImpactLevel level) => level switch
    {
        ImpactLevel.Local => IsolationLevel.Local,
        ImpactLevel.Warning => IsolationLevel.Warning,
        _ => IsolationLevel.Normal,
    };
}
