using Cosmos.Core;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Internal;

// Operator actions, runtime node changes, options reload and breaker synchronisation.
internal sealed partial class IsolationEngine
{
    public async Task IsolateAsync(string nodeId, IsolationScope scope = IsolationScope.Node, CancellationToken cancellationToken = default)
    {
        var node = Find(nodeId);
        List<NodeStateChangedEventArgs>? changes;
        lock (_gate)
        {
            node.OwnLevel = scope == IsolationScope.Subtree ? IsolationLevel.Subtree : IsolationLevel.Local;
            node.Manual = true;
            node.Recovery = RecoveryStage.AwaitingRelease;
            node.OwnAdmission = 0;
            node.IsolatedAt = _time.GetUtcNow();
            Log.ManualIsolation(_logger, node.Id, scope);
            changes = Publish();
        }

        Raise(changes);
        await SyncBreakersAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ReleaseAsync(string nodeId, IsolationScope scope = IsolationScope.Node, CancellationToken cancellationToken = default)
    {
        var node = Find(nodeId);
        List<NodeRuntime> released = [node];
        List<NodeStateChangedEventArgs>? changes;
        lock (_gate)
        {
            var topology = _topology;
            if (scope == IsolationScope.Subtree)
            {
                foreach (var index in topology.Dependents(node))
                {
                    released.Add(topology.Nodes[index]);
                }
            }

            foreach (var target in released)
            {
                ResetNode(target, keepHealth: false);
                Log.NodeReleased(_logger, target.Id);
            }

            changes = Publish();
        }

        Raise(changes);
        await SyncBreakersAsync(cancellationToken, released).ConfigureAwait(false);
    }

    public async Task IsolateAllAsync(CancellationToken cancellationToken = default)
    {
        List<NodeStateChangedEventArgs>? changes;
        lock (_gate)
        {
            StartGlobal(manual: true, SystemVelocity(_topology.Nodes));
            changes = Publish();
        }

        Raise(changes);
        await SyncBreakersAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ReleaseAllAsync(CancellationToken cancellationToken = default)
    {
        List<NodeRuntime> released;
        List<NodeStateChangedEventArgs>? changes;
        lock (_gate)
        {
            released = [.. _topology.Nodes];
            foreach (var node in released)
            {
                ResetNode(node, keepHealth: false);
            }

            EndGlobal(0);
            Log.AllReleased(_logger);
            changes = Publish();
        }

        Raise(changes);
        await SyncBreakersAsync(cancellationToken, released).ConfigureAwait(false);
    }

    public void AddNode(IsolationNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var declaration = node.Clone();
        List<NodeStateChangedEventArgs>? changes;
        lock (_gate)
        {
            var failures = new List<string>();
            CosmosIsolationOptionsValidator.ValidateDeclarations([declaration], failures, _topology.Index.Keys);
            if (failures.Count > 0)
            {
                throw new ArgumentException(string.Join(" ", failures), nameof(node));
            }

            var runtime = CreateRuntime(declaration);
            _topology = Topology.Build([.. _topology.Nodes, runtime]);
            Log.NodeAdded(_logger, declaration.Id, declaration.Layer);
            changes = Publish();
        }

        Raise(changes);
    }

    public bool RemoveNode(string nodeId)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        List<NodeStateChangedEventArgs>? changes;
        lock (_gate)
        {
            var topology = _topology;
            if (!topology.Index.TryGetValue(nodeId, out var index))
            {
                return false;
            }

            var dependents = topology.Graph.GetDependents(index);
            if (dependents.Length > 0)
            {
                var names = new string[dependents.Length];
                for (var i = 0; i < names.Length; i++)
                {
                    names[i] = topology.Nodes[dependents[i]].Id;
                }

                throw new InvalidOperationException($"Node '{nodeId}' cannot be removed: {string.Join(", ", names.Select(n => $"'{n}'"))} depend on it.");
            }

            _topology = Topology.Build([.. topology.Nodes.Where(n => !ReferenceEquals(n, topology.Nodes[index]))]);
            Log.NodeRemoved(_logger, nodeId);
            changes = Publish();
        }

        Raise(changes);
        return true;
    }

    private void ApplyOptions(CosmosIsolationOptions options)
    {
        var settings = Settings.From(options);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var previous = _settings;
            _settings = settings;
            var reshapeWindows = previous.WindowDuration != settings.WindowDuration || previous.WindowBuckets != settings.WindowBuckets;
            foreach (var node in _topology.Nodes)
            {
                // Breakers read these settings live (threshold, break duration, retries): their state is untouched.
                node.Settings = settings.Layers[node.Layer];
                if (reshapeWindows)
                {
                    node.Window = settings.CreateWindow(_time);
                }
            }

            if (previous.EvaluationInterval != settings.EvaluationInterval)
            {
                _timer.Change(settings.EvaluationInterval, settings.EvaluationInterval);
            }

            Log.OptionsReloaded(_logger, reshapeWindows);
        }
    }

    private void SyncBreakersInBackground()
    {
        _ = SyncBreakersAsync(CancellationToken.None).ContinueWith(
            static (task, state) => Log.EvaluationFailed(((IsolationEngine)state!)._logger, task.Exception!),
            this,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Isolates the Polly breaker of every fully blocked node and closes the ones the engine isolated before;
    /// <paramref name="forceClose"/> also closes breakers Polly opened by itself (operator release).</summary>
    private async Task SyncBreakersAsync(CancellationToken cancellationToken, List<NodeRuntime>? forceClose = null)
    {
        await _breakerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var node in _topology.Nodes)
            {
                var isolate = node.Blocked && node.Admission <= 0;
                if (isolate != node.BreakerIsolated)
                {
                    node.BreakerIsolated = isolate;
                    if (isolate)
                    {
                        await node.ManualControl.IsolateAsync(cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await node.ManualControl.CloseAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (forceClose is not null)
            {
                foreach (var node in forceClose)
                {
                    if (!node.Blocked && node.StateProvider.CircuitState != CircuitState.Closed)
                    {
                        await node.ManualControl.CloseAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            var global = _globalBlocked;
            if (global != _globalBreakerIsolated)
            {
                _globalBreakerIsolated = global;
                if (global)
                {
                    await _globalControl.IsolateAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _globalControl.CloseAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _breakerGate.Release();
        }
    }

    /// <summary>An immutable copy of the options the engine runs on.</summary>
    private sealed class Settings
    {
        private Settings(Dictionary<CosmicLayer, LayerIsolationOptions> layers, CosmosIsolationOptions options)
        {
            Layers = layers;
            WindowDuration = options.WindowDuration;
            WindowBuckets = options.WindowBuckets;
            MinimumCalls = options.MinimumCalls;
            EvaluationInterval = options.EvaluationInterval;
            HealingThreshold = options.HealingThreshold;
            ManualThreshold = options.ManualThreshold;
        }

        public Dictionary<CosmicLayer, LayerIsolationOptions> Layers { get; }

        public TimeSpan WindowDuration { get; }

        public int WindowBuckets { get; }

        public int MinimumCalls { get; }

        public TimeSpan EvaluationInterval { get; }

        public double HealingThreshold { get; }

        public double ManualThreshold { get; }

        public static Settings From(CosmosIsolationOptions options)
        {
            var layers = new Dictionary<CosmicLayer, LayerIsolationOptions>();
            foreach (var layer in Enum.GetValues<CosmicLayer>())
            {
                layers[layer] = options.Layers.TryGetValue(layer, out var configured) && configured is not null
                    ? configured.Clone()
                    : LayerIsolationOptions.CreateDefault(layer);
            }

            return new Settings(layers, options);
        }

        public SlidingWindow CreateWindow(TimeProvider time) => new(WindowDuration, WindowBuckets, time.TimestampFrequency);
    }
}
