using System.Buffers;
using Cosmos.Core;

namespace Cosmos.Isolation.Internal;

// Detection, escalation, recovery and publication of the per-node flags. Everything here runs under _gate
// except DetectFromWindow's lock-free pre-check.
internal sealed partial class IsolationEngine
{
    private List<NodeStateChangedEventArgs> _pending = [];

    private void DetectFromWindow(NodeRuntime node, long timestamp)
    {
        var settings = _settings;
        var (calls, bad) = node.Window.Read(timestamp);
        if (calls < settings.MinimumCalls)
        {
            return;
        }

        var impact = ImpactOf(node, (double)bad / calls);
        node.Impact = impact;
        var level = ToLevel(_layers.Classify(node.Layer, impact));
        if (!NeedsDetection(node, level))
        {
            return;
        }

        List<NodeStateChangedEventArgs>? changes;
        lock (_gate)
        {
            if (!IsCurrent(node))
            {
                return;
            }

            Detect(node, level);
            changes = Publish();
        }

        Raise(changes);
        SyncBreakersInBackground();
    }

    /// <summary>impact = α·r + β·(r · blast radius) + γ·(r · fan-in), with r the failure rate of the node's window.</summary>
    private double ImpactOf(NodeRuntime node, double failureRate)
        => _layers.Impact(failureRate, failureRate * node.BlastRadius, failureRate * node.FanIn);

    private static bool NeedsDetection(NodeRuntime node, IsolationLevel level)
    {
        if (node.OwnLevel >= IsolationLevel.Local)
        {
            return false;
        }

        if (level == IsolationLevel.Local)
        {
            return !node.Blocked;
        }

        return node.PublishedLevel < IsolationLevel.Local && level != node.DetectedLevel;
    }

    private bool IsCurrent(NodeRuntime node)
    {
        var topology = _topology;
        return topology.Index.TryGetValue(node.Id, out var index) && ReferenceEquals(topology.Nodes[index], node);
    }

    private void Detect(NodeRuntime node, IsolationLevel level)
    {
        if (node.OwnLevel >= IsolationLevel.Local)
        {
            return;
        }

        if (level == IsolationLevel.Local)
        {
            // A node blocked by a dependency's subtree fails because of that dependency: it is not judged on its own,
            // so it comes back as soon as the dependency recovers.
            if (node.Blocked && node.BlockedBy is not null && node.BlockedBy != node.Id)
            {
                node.DetectedLevel = IsolationLevel.Warning;
                return;
            }

            IsolateAutomatically(node);
        }
        else
        {
            node.DetectedLevel = level;
        }
    }

    private void IsolateAutomatically(NodeRuntime node)
    {
        var settings = _settings;
        var (calls, bad) = node.Window.Read(_time.GetTimestamp());
        if (calls >= settings.MinimumCalls)
        {
            node.Health = 1.0 - ((double)bad / calls);
        }

        node.DetectedLevel = IsolationLevel.Local;
        node.OwnLevel = IsolationLevel.Local;
        node.Manual = false;
        node.Recovery = RecoveryStage.Waiting;
        node.OwnAdmission = 0;
        node.IsolatedAt = _time.GetUtcNow();
        Log.NodeIsolated(_logger, node.Id, node.Layer, node.Impact, _layers.GetEscapeVelocity(node.Layer));
        Escalate(node);
    }

    /// <summary>LOCAL → SUBTREE when the cumulative velocity of the node and its dependents reaches the escape velocity of the
    /// next layer up (L7's for L7 nodes); → GLOBAL when the node is on L7 or the system velocity reaches L7's escape velocity.</summary>
    private void Escalate(NodeRuntime node)
    {
        var topology = _topology;
        var dependents = topology.Dependents(node);
        if (dependents.Length > 0)
        {
            var buffer = ArrayPool<double>.Shared.Rent(dependents.Length + 1);
            try
            {
                buffer[0] = node.Impact;
                for (var i = 0; i < dependents.Length; i++)
                {
                    buffer[i + 1] = topology.Nodes[dependents[i]].Impact;
                }

                var velocity = VelocityMath.CumulativeVelocity(buffer.AsSpan(0, dependents.Length + 1));
                var next = LayerModel.NextLayerUp(node.Layer) ?? CosmicLayer.Cosmos;
                var threshold = _layers.GetEscapeVelocity(next);
                if (velocity >= threshold)
                {
                    node.OwnLevel = IsolationLevel.Subtree;
                    Log.SubtreeIsolated(_logger, node.Id, dependents.Length, velocity, next, threshold);
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(buffer);
            }
        }

        var system = SystemVelocity(topology.Nodes);
        if (node.Layer == CosmicLayer.Cosmos || system >= _layers.GetEscapeVelocity(CosmicLayer.Cosmos))
        {
            StartGlobal(manual: false, system);
        }
    }

    /// <summary>The per-node escape velocity of the whole system: 1 − (∏(1 − impact_i))^(1/N).</summary>
    /// <remarks>A plain noisy-OR over all nodes grows with the node count (100 nodes at 0.01 give 0.63), so the global
    /// decision uses its per-node (geometric-mean) form, which stays comparable to one layer's escape velocity.</remarks>
    internal static double SystemVelocity(NodeRuntime[] nodes)
    {
        if (nodes.Length == 0)
        {
            return 0;
        }

        var buffer = ArrayPool<double>.Shared.Rent(nodes.Length);
        try
        {
            for (var i = 0; i < nodes.Length; i++)
            {
                buffer[i] = Math.Clamp(nodes[i].Impact, 0, 1);
            }

            var cumulative = VelocityMath.CumulativeVelocity(buffer.AsSpan(0, nodes.Length));
            return cumulative >= 1 ? 1 : 1 - Math.Pow(1 - cumulative, 1.0 / nodes.Length);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    private void StartGlobal(bool manual, double velocity)
    {
        if (_globalBlocked)
        {
            _globalManual |= manual;
            return;
        }

        _globalBlocked = true;
        _globalManual = manual;
        _globalSince = _time.GetUtcNow();
        Log.GlobalIsolationStarted(_logger, manual, velocity);
        _metrics.Transition(GlobalNodeId, IsolationLevel.Normal, IsolationLevel.Global);
        _pending.Add(new NodeStateChangedEventArgs(GlobalNodeId, IsolationLevel.Normal, IsolationLevel.Global,
            manual ? RecoveryStage.AwaitingRelease : RecoveryStage.Waiting, Polly.CircuitBreaker.CircuitState.Isolated, 1 - velocity, velocity, _globalSince));
    }

    private void EndGlobal(double velocity)
    {
        if (!_globalBlocked)
        {
            return;
        }

        _globalBlocked = false;
        _globalManual = false;
        Log.GlobalIsolationEnded(_logger, velocity);
        _metrics.Transition(GlobalNodeId, IsolationLevel.Global, IsolationLevel.Normal);
        _pending.Add(new NodeStateChangedEventArgs(GlobalNodeId, IsolationLevel.Global, IsolationLevel.Normal,
            RecoveryStage.None, Polly.CircuitBreaker.CircuitState.Closed, 1 - velocity, velocity, _time.GetUtcNow()));
    }

    /// <summary>The periodic pass: refresh impact and health from the windows, detect, recover, and judge the global breaker.</summary>
    private void Evaluate()
    {
        var settings = _settings;
        var timestamp = _time.GetTimestamp();
        var now = _time.GetUtcNow();
        var nodes = _topology.Nodes;
        foreach (var node in nodes)
        {
            var (calls, bad) = node.Window.Read(timestamp);
            if (calls >= settings.MinimumCalls)
            {
                var rate = (double)bad / calls;
                node.Impact = ImpactOf(node, rate);
                node.Health = 1.0 - rate;
            }
            else
            {
                // No evidence in the window: nothing is escaping now; the health score keeps its last value.
                node.Impact = 0;
            }
        }

        var anyIsolated = false;
        foreach (var node in nodes)
        {
            if (node.OwnLevel < IsolationLevel.Local)
            {
                Detect(node, ToLevel(_layers.Classify(node.Layer, node.Impact)));
            }
            else if (!node.Manual)
            {
                Recover(node, now, settings);
            }

            anyIsolated |= node.OwnLevel >= IsolationLevel.Local;
        }

        var system = SystemVelocity(nodes);
        var globalThreshold = _layers.GetEscapeVelocity(CosmicLayer.Cosmos);
        if (_globalBlocked)
        {
            var breakDuration = settings.Layers[CosmicLayer.Cosmos].BreakDuration;
            if (!_globalManual && now - _globalSince >= breakDuration && system < globalThreshold)
            {
                EndGlobal(system);
            }
        }
        else if (anyIsolated && system >= globalThreshold)
        {
            StartGlobal(manual: false, system);
        }
    }

    /// <summary>Health > healing threshold heals; (manual, healing] admits (h − manual) / (healing − manual) of the calls;
    /// ≤ manual latches the node until an operator releases it.</summary>
    private void Recover(NodeRuntime node, DateTimeOffset now, Settings settings)
    {
        if (node.Recovery == RecoveryStage.AwaitingRelease)
        {
            return;
        }

        if (now - node.IsolatedAt < node.Settings.BreakDuration)
        {
            node.Recovery = RecoveryStage.Waiting;
            node.OwnAdmission = 0;
            return;
        }

        var health = node.Health;
        if (health > settings.HealingThreshold)
        {
            Log.NodeRecovered(_logger, node.Id, health);
            ResetNode(node, keepHealth: true);
        }
        else if (health > settings.ManualThreshold)
        {
            if (node.Recovery != RecoveryStage.Partial)
            {
                Interlocked.Exchange(ref node.AdmissionCounter, 0);
            }

            node.Recovery = RecoveryStage.Partial;
            node.OwnAdmission = (health - settings.ManualThreshold) / (settings.HealingThreshold - settings.ManualThreshold);
        }
        else
        {
            node.Recovery = RecoveryStage.AwaitingRelease;
            node.OwnAdmission = 0;
            Log.NodeAwaitingRelease(_logger, node.Id, health);
        }
    }

    private static void ResetNode(NodeRuntime node, bool keepHealth)
    {
        node.OwnLevel = IsolationLevel.Normal;
        node.DetectedLevel = IsolationLevel.Normal;
        node.Manual = false;
        node.Recovery = RecoveryStage.None;
        node.OwnAdmission = 1;
        node.Impact = 0;
        if (!keepHealth)
        {
            node.Health = 1;
        }

        node.Window.Reset();
        Volatile.Write(ref node.ConsecutiveFailures, 0);
        Interlocked.Exchange(ref node.AdmissionCounter, 0);
    }

    /// <summary>Recomputes every node's blocked flag, level and admission from the own isolations and subtree roots,
    /// publishes them to the call path, and returns the events to raise once the lock is released.</summary>
    private List<NodeStateChangedEventArgs>? Publish()
    {
        var topology = _topology;
        var nodes = topology.Nodes;
        var levels = new IsolationLevel[nodes.Length];
        var admissions = new double[nodes.Length];
        var blocked = new bool[nodes.Length];
        var by = new string?[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            admissions[i] = 1;
            if (node.OwnLevel >= IsolationLevel.Local)
            {
                levels[i] = node.OwnLevel;
                blocked[i] = true;
                admissions[i] = node.OwnAdmission;
                by[i] = node.Id;
            }
            else
            {
                levels[i] = node.DetectedLevel;
            }
        }

        for (var i = 0; i < nodes.Length; i++)
        {
            var root = nodes[i];
            if (root.OwnLevel != IsolationLevel.Subtree)
            {
                continue;
            }

            foreach (var d in topology.Dependents(root))
            {
                blocked[d] = true;
                levels[d] = IsolationLevel.Subtree;
                admissions[d] = Math.Min(admissions[d], root.OwnAdmission);
                by[d] ??= root.Id;
            }
        }

        var now = _time.GetUtcNow();
        var changes = _pending;
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            node.Admission = blocked[i] ? admissions[i] : 1;
            node.BlockLevel = levels[i];
            node.BlockedBy = blocked[i] ? by[i] : null;
            node.Blocked = blocked[i];
            var recovery = node.OwnLevel >= IsolationLevel.Local ? node.Recovery : RecoveryStage.None;
            if (levels[i] != node.PublishedLevel || recovery != node.PublishedRecovery)
            {
                var previous = node.PublishedLevel;
                node.PublishedLevel = levels[i];
                node.PublishedRecovery = recovery;
                if (previous != levels[i])
                {
                    _metrics.Transition(node.Id, previous, levels[i]);
                    Log.LevelChanged(_logger, node.Id, node.Layer, previous, levels[i], node.Impact, node.Health);
                }

                changes.Add(new NodeStateChangedEventArgs(node.Id, previous, levels[i], recovery,
                    node.StateProvider.CircuitState,
                    node.Health, node.Impact, now));
            }
        }

        _pending = [];
        return changes.Count == 0 ? null : changes;
    }
}
