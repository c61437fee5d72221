using Cosmos.Isolation.Internal.Validators;
using Cosmos.Isolation.Telemetry;

namespace Cosmos.Isolation.Internal;

// Operator actions, runtime node changes and options reload.
internal sealed partial class IsolationController
{
    public void Isolate(NodeRuntime node, IsolationScope scope) => Decide((node, scope), static (self, state) =>
    {
        using var activity = IsolationInstruments.StartDecision(state.node.Id, "manual-isolate");
        var decision = state.node.Decision;
        decision.Own = state.scope == IsolationScope.Subtree ? IsolationLevel.Subtree : IsolationLevel.Local;
        decision.Manual = true;
        decision.Probing = false;
        decision.Recovery = RecoveryStage.AwaitingRelease;
        decision.IsolatedAt = self._time.GetUtcNow();
        Log.ManualIsolation(self._logger, state.node.Id, state.scope);
    });

    public void Release(NodeRuntime node, IsolationScope scope) => Decide((node, scope), static (self, state) =>
    {
        using var activity = IsolationInstruments.StartDecision(state.node.Id, "release");
        var topology = self._topology;
        Release(self, state.node);
        if (state.scope == IsolationScope.Subtree)
        {
            foreach (var index in topology.Dependents(state.node))
            {
                Release(self, topology.Nodes[index]);
            }
        }

        static void Release(IsolationController self, NodeRuntime node)
        {
            ResetNode(node, 1.0);
            Log.NodeReleased(self._logger, node.Id);
        }
    });

    public void IsolateAll() => Decide(0, static (self, _) => self.StartGlobal(manual: true));

    public void ReleaseAll() => Decide(0, static (self, _) =>
    {
        foreach (var node in self._topology.Nodes)
        {
            ResetNode(node, 1.0);
        }

        self.EndGlobal();
        Log.AllReleased(self._logger);
    });

    /// <summary>Adds a node; returns the validation failures instead when the declaration is invalid.</summary>
    public string? AddNode(IsolationNode declaration)
    {
        string? error = null;
        Decide(declaration, (self, declaration) =>
        {
            var failures = new List<string>();
            CosmosIsolationOptionsValidator.ValidateDeclarations([declaration], failures, self._topology.Index.Keys);
            if (failures.Count > 0)
            {
                error = string.Join(" ", failures);
                return;
            }

            var runtime = self.CreateRuntime(declaration);
            self._topology = Topology.Build([.. self._topology.Nodes, runtime]);
            Log.NodeAdded(self._logger, declaration.Id, declaration.Layer);
        });
        return error;
    }

    public bool RemoveNode(string nodeId)
    {
        var removed = false;
        Decide(nodeId, (self, nodeId) =>
        {
            var topology = self._topology;
            if (!topology.Index.TryGetValue(nodeId, out var index))
            {
                return;
            }

            var dependents = topology.Graph.GetDependents(index);
            var referrers = topology.Nodes.Where(n => n.Alternates?.Any(a => a.Id == nodeId) == true).Select(n => n.Id).ToList();
            if (dependents.Length > 0 || referrers.Count > 0)
            {
                var names = new List<string>(referrers);
                foreach (var d in dependents)
                {
                    names.Insert(0, topology.Nodes[d].Id);
                }

                throw new InvalidOperationException($"Node '{nodeId}' cannot be removed: {string.Join(", ", names.Distinct().Select(n => $"'{n}'"))} depend on it or name it as an alternate.");
            }

            self._topology = Topology.Build([.. topology.Nodes.Where(n => !ReferenceEquals(n, topology.Nodes[index]))]);
            Log.NodeRemoved(self._logger, nodeId);
            removed = true;
        });
        return removed;
    }

    /// <summary>Applies reloaded options live: thresholds, durations and per-layer settings; breaker states are kept, and
    /// windows restart only when their shape changes.</summary>
    public void ApplyOptions(CosmosIsolationOptions options)
    {
        var settings = Settings.From(options);
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            var previous = _settings;
            _settings = settings;
            var reshape = !previous.SameWindowShape(settings);
            _clock.Change(settings.SmallestTimeScale);
            foreach (var node in _topology.Nodes)
            {
                node.Apply(settings.Layers[node.Layer], _time.TimestampFrequency);
                if (reshape)
                {
                    node.Counters.ReplaceWindow(settings.CreateWindow(_time));
                }
            }

            Log.OptionsReloaded(_logger, reshape);
        }
    }
}
