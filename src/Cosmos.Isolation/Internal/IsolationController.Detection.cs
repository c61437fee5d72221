using System.Buffers;
using Cosmos.Core;
using Cosmos.Isolation.Telemetry;

namespace Cosmos.Isolation.Internal;

// Detection and escalation: evidence from the call path or the host → Local → Subtree → Global.
internal sealed partial class IsolationController
{
    /// <summary>Evidence from the call path. The pre-check reads the window without the lock; only a level change takes it.</summary>
    public void OnBadOutcome(NodeRuntime node, long timestamp, bool breakerOpens)
    {
        var decision = node.Decision;
        if (decision.Own >= IsolationLevel.Local)
        {
            // Already isolated: admitted calls are fresh evidence, judged by recovery.
            return;
        }

        var (calls, bad) = node.Counters.Window.Read(timestamp);
        if (calls < _settings.Options.MinimumCalls && !breakerOpens)
        {
            return;
        }

        var impact = IsolationRules.WithBreakerEvidence(_layers, node.Layer, ImpactOf(node, calls == 0 ? 1 : (double)bad / calls), breakerOpens);
        decision.Impact = impact;
        var level = IsolationRules.Classify(_layers, node.Layer, impact);
        if (level == decision.Detected && level != IsolationLevel.Local)
        {
            return;
        }

        Decide((node, level), static (self, state) =>
        {
            if (self.IsCurrent(state.node))
            {
                self.Detect(state.node, state.level);
            }
        });
    }

    public IsolationLevel ReportImpact(NodeRuntime node, double impact)
    {
        var level = IsolationRules.Classify(_layers, node.Layer, impact);
        Decide((node, level, impact), static (self, state) =>
        {
            state.node.Decision.Impact = state.impact;
            self.Detect(state.node, state.level);
        });
        return level;
    }

    private double ImpactOf(NodeRuntime node, double failureRate) => IsolationRules.Impact(_layers, failureRate, node.BlastRadius, node.FanIn);

    private void Detect(NodeRuntime node, IsolationLevel level)
    {
        var decision = node.Decision;
        if (decision.Own >= IsolationLevel.Local)
        {
            return;
        }

        if (level == IsolationLevel.Local)
        {
            // A node blocked by a dependency's subtree is not judged on its own: it comes back with the dependency.
            if (decision.BlockedBy is { } by && by != node.Id && by != GlobalNodeId)
            {
                decision.Detected = IsolationLevel.Warning;
                return;
            }

            IsolateAutomatically(node);
        }
        else
        {
            decision.Detected = level;
        }
    }

    private void IsolateAutomatically(NodeRuntime node)
    {
        using var activity = IsolationInstruments.StartDecision(node.Id, "isolate");
        var decision = node.Decision;
        var (calls, bad) = node.Counters.Window.Read(_time.GetTimestamp());
        if (calls > 0)
        {
            decision.Health = 1.0 - ((double)bad / calls);
        }

        decision.Detected = IsolationLevel.Local;
        decision.Own = IsolationLevel.Local;
        decision.Manual = false;
        decision.Recovery = RecoveryStage.Waiting;
        decision.IsolatedAt = _time.GetUtcNow();
        Interlocked.Exchange(ref node.Counters.Admitted, 0);
        Log.NodeIsolated(_logger, node.Id, node.Layer, decision.Impact, _layers.GetEscapeVelocity(node.Layer));
        Escalate(node);
        activity?.SetTag("cosmos.level", decision.Own.ToString()).SetTag("cosmos.global", _globalBlocked);
    }

    /// <summary>LOCAL → SUBTREE by the cumulative velocity of the node and its dependents (<see cref="IsolationRules.EscalatesToSubtree"/>),
    /// then the proportional global rule.</summary>
    private void Escalate(NodeRuntime node)
    {
        var topology = _topology;
        var dependents = topology.Dependents(node);
        if (dependents.Length > 0)
        {
            var buffer = ArrayPool<double>.Shared.Rent(dependents.Length + 1);
            try
            {
                buffer[0] = node.Decision.Impact;
                for (var i = 0; i < dependents.Length; i++)
                {
                    buffer[i + 1] = topology.Nodes[dependents[i]].Decision.Impact;
                }

                if (IsolationRules.EscalatesToSubtree(_layers, node.Layer, buffer.AsSpan(0, dependents.Length + 1)))
                {
                    node.Decision.Own = IsolationLevel.Subtree;
                    Log.SubtreeIsolated(_logger, node.Id, dependents.Length, IsolationRules.SubtreeThreshold(_layers, node.Layer));
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(buffer);
            }
        }

        if (ShouldBeGlobal())
        {
            StartGlobal(manual: false);
        }
    }

    /// <summary>The proportional global rule over the automatically isolated nodes (<see cref="IsolationRules"/>).</summary>
    private bool ShouldBeGlobal()
    {
        var topology = _topology;
        var nodes = topology.Nodes;
        var failing = new List<int>();
        var subtree = new List<bool>();
        var cosmos = false;
        foreach (var node in nodes)
        {
            var decision = node.Decision;
            if (decision.Own >= IsolationLevel.Local && !decision.Manual)
            {
                failing.Add(node.Index);
                subtree.Add(decision.Own == IsolationLevel.Subtree);
                cosmos |= node.Layer == CosmicLayer.Cosmos;
            }
        }

        var coverage = IsolationRules.IndependentCoverage(topology.Traversal,
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(failing),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(subtree),
            topology.Cover);
        Volatile.Write(ref _independentShare, nodes.Length == 0 ? 0 : (double)coverage / nodes.Length);
        return cosmos || IsolationRules.ReachesShare(coverage, nodes.Length, _settings.Options.GlobalIsolationShare);
    }

    private void StartGlobal(bool manual)
    {
        if (_globalBlocked)
        {
            _globalManual |= manual;
            return;
        }

        using var activity = IsolationInstruments.StartDecision(GlobalNodeId, "global");
        _globalBlocked = true;
        _globalManual = manual;
        _globalSince = _time.GetUtcNow();
        var share = IndependentFailureShare;
        Log.GlobalIsolationStarted(_logger, manual, share);
        _instruments.Transition(GlobalNodeId, IsolationLevel.Normal, IsolationLevel.Global);
        _pending.Add(new NodeStateChangedEventArgs(GlobalNodeId, IsolationLevel.Normal, IsolationLevel.Global,
            manual ? RecoveryStage.AwaitingRelease : RecoveryStage.Waiting, Polly.CircuitBreaker.CircuitState.Isolated, 1 - share, share, _globalSince));
    }

    private void EndGlobal()
    {
        if (!_globalBlocked)
        {
            return;
        }

        using var activity = IsolationInstruments.StartDecision(GlobalNodeId, "global-end");
        _globalBlocked = false;
        _globalManual = false;
        var share = IndependentFailureShare;
        Log.GlobalIsolationEnded(_logger, share);
        _instruments.Transition(GlobalNodeId, IsolationLevel.Global, IsolationLevel.Normal);
        _pending.Add(new NodeStateChangedEventArgs(GlobalNodeId, IsolationLevel.Global, IsolationLevel.Normal,
            RecoveryStage.None, Polly.CircuitBreaker.CircuitState.Closed, 1 - share, share, _time.GetUtcNow()));
    }
}
