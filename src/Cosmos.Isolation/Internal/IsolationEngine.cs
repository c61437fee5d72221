using System.Diagnostics.Metrics;
using Cosmos.Core;
using Cosmos.Core.Execution;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Internal;

/// <summary>The public face of the isolation engine: argument checks, pipelines, states and snapshots, the evaluation timer
/// and options reload. Every decision is delegated to the <see cref="IsolationController"/>; calls run through each node's
/// <see cref="NodeGuardStrategy"/>.</summary>
/// <remarks>Also Cosmos.Core's <see cref="INodeIsolationGate"/>, so <see cref="ParallelNodeExecutor"/> bypasses isolated nodes.</remarks>
internal sealed class IsolationEngine : IIsolationEngine, INodeIsolationGate, IDisposable
{
    private readonly IsolationController _controller;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IDisposable? _reloadSubscription;
    private readonly ITimer _timer;
    private TimeSpan _interval;

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
        _time = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;

        // Reading CurrentValue runs the validators: a bad declaration fails here, naming the node.
        var current = options.CurrentValue;
        _controller = new IsolationController(Settings.From(current), current.Nodes.Select(n => n.Clone()), layers, timeProvider, _logger, meterFactory)
        {
            EventSender = this,
        };
        _reloadSubscription = options.OnChange(ApplyOptions);
        _interval = current.EvaluationInterval;
        _timer = timeProvider.CreateTimer(static state => ((IsolationEngine)state!).OnTimer(), this, _interval, _interval);
    }

    public event EventHandler<NodeStateChangedEventArgs>? StateChanged
    {
        add => _controller.StateChanged += value;
        remove => _controller.StateChanged -= value;
    }

    public bool IsGloballyIsolated => _controller.GlobalBlocked;

    internal IsolationController Controller => _controller;

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
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        var topology = _controller.Topology;
        return topology.Index.TryGetValue(nodeId, out var index) && !topology.Nodes[index].Verdict.Passes;
    }

    public NodeState GetState(string nodeId) => ToState(Find(nodeId));

    public IsolationSnapshot GetSnapshot()
    {
        var nodes = _controller.Topology.Nodes;
        var states = new NodeState[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            states[i] = ToState(nodes[i]);
        }

        var global = _controller.GlobalBlocked;
        return new IsolationSnapshot(_time.GetUtcNow(), global, global ? CircuitState.Isolated : CircuitState.Closed, _controller.IndependentFailureShare, states);
    }

    public void ReportOutcome(string nodeId, bool success, TimeSpan latency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        var node = Find(nodeId);
        var timestamp = _time.GetTimestamp();
        var counters = node.Counters;
        var threshold = node.Settings.SlowCallThreshold;
        var bad = !success || (threshold != Timeout.InfiniteTimeSpan && latency > threshold);
        counters.Window.Record(timestamp, bad);
        if (!bad)
        {
            Volatile.Write(ref counters.ConsecutiveFailures, 0);
            return;
        }

        Interlocked.Increment(ref success ? ref counters.SlowCalls : ref counters.Failures);
        var streak = Interlocked.Increment(ref counters.ConsecutiveFailures);
        _controller.OnBadOutcome(node, timestamp, streak >= node.Settings.FailureThreshold);
    }

    public IsolationLevel ReportImpact(string nodeId, double impact)
    {
        if (double.IsNaN(impact) || impact is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(impact), impact, "An impact must be in [0, 1].");
        }

        return _controller.ReportImpact(Find(nodeId), impact);
    }

    public void ReportHealth(string nodeId, double health)
    {
        if (double.IsNaN(health) || health is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(health), health, "A health score must be in [0, 1].");
        }

        _controller.ReportHealth(Find(nodeId), health);
    }

    public Task EvaluateAsync(CancellationToken cancellationToken = default) => _controller.EvaluateAsync(cancellationToken);

    public Task IsolateAsync(string nodeId, IsolationScope scope = IsolationScope.Node, CancellationToken cancellationToken = default)
    {
        var node = Find(nodeId);
        cancellationToken.ThrowIfCancellationRequested();
        _controller.Isolate(node, scope);
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string nodeId, IsolationScope scope = IsolationScope.Node, CancellationToken cancellationToken = default)
    {
        var node = Find(nodeId);
        cancellationToken.ThrowIfCancellationRequested();
        _controller.Release(node, scope);
        return Task.CompletedTask;
    }

    public Task IsolateAllAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _controller.IsolateAll();
        return Task.CompletedTask;
    }

    public Task ReleaseAllAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _controller.ReleaseAll();
        return Task.CompletedTask;
    }

    public void AddNode(IsolationNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (_controller.AddNode(node.Clone()) is { } error)
        {
            throw new ArgumentException(error, nameof(node));
        }
    }

    public bool RemoveNode(string nodeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        return _controller.RemoveNode(nodeId);
    }

    public void Dispose()
    {
        _timer.Dispose();
        _reloadSubscription?.Dispose();
        _controller.Dispose();
    }

    private NodeRuntime Find(string nodeId)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        var topology = _controller.Topology;
        return topology.Index.TryGetValue(nodeId, out var index)
            ? topology.Nodes[index]
            : throw new KeyNotFoundException($"No isolation node has the id '{nodeId}'.");
    }

    private static NodeState ToState(NodeRuntime node)
    {
        var decision = node.Decision;
        var counters = node.Counters;
        var verdict = node.Verdict;
        var level = verdict.Passes ? decision.Detected : verdict.Level;
        return new NodeState(
            node.Id,
            node.Layer,
            level,
            decision.Health,
            decision.Impact,
            node.StateProvider.CircuitState,
            decision.Own >= IsolationLevel.Local ? decision.Recovery : RecoveryStage.None,
            verdict.Passes ? 1.0 : verdict.Admission == AdmissionKind.Partial ? verdict.Share : 0.0,
            verdict.Passes ? null : verdict.CauseNodeId,
            counters.Successes,
            Interlocked.Read(ref counters.Failures),
            Interlocked.Read(ref counters.SlowCalls),
            Interlocked.Read(ref counters.Rejected),
            Interlocked.Read(ref counters.DependencyFailures),
            Interlocked.Read(ref counters.FailedOver));
    }

    private void ApplyOptions(CosmosIsolationOptions options)
    {
        _controller.ApplyOptions(options);
        var interval = options.EvaluationInterval;
        if (interval != _interval)
        {
            _interval = interval;
            _timer.Change(interval, interval);
        }
    }

    private void OnTimer()
    {
        try
        {
            _ = _controller.EvaluateAsync(CancellationToken.None).ContinueWith(
                static (task, state) => Log.EvaluationFailed((ILogger)state!, task.Exception!),
                _logger,
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
}
