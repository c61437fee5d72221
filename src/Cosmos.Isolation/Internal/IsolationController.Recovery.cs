using Cosmos.Core;
using Cosmos.Isolation.Telemetry;

namespace Cosmos.Isolation.Internal;

// Recovery from fresh evidence. After its break duration an automatically isolated node is measured anew: by its probe,
// or by a budget of trial calls. The SPEC tiers apply to that fresh score only; the operator latch needs fresh evidence.
internal sealed partial class IsolationController
{
    /// <summary>The periodic pass: refresh impact and health from the windows, detect, move recovery on, run due probes,
    /// and end an automatic global isolation whose cause is gone.</summary>
    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        List<NodeRuntime>? probes = null;
        Decide(0, (self, _) => probes = self.Evaluate());
        if (probes is null)
        {
            return;
        }

        foreach (var node in probes)
        {
            var health = await ProbeAsync(node, cancellationToken).ConfigureAwait(false);
            Decide((node, health), static (self, state) =>
            {
                var decision = state.node.Decision;
                if (self.IsCurrent(state.node) && decision.Probing)
                {
                    decision.Probing = false;
                    if (decision.Own >= IsolationLevel.Local && !decision.Manual && !double.IsNaN(state.health))
                    {
                        self.JudgeFresh(state.node, state.health);
                    }
                }
            });
        }
    }

    private List<NodeRuntime>? Evaluate()
    {
        var settings = _settings;
        var options = settings.Options;
        var timestamp = _time.GetTimestamp();
        var now = _time.GetUtcNow();
        var nodes = _topology.Nodes;
        List<NodeRuntime>? probes = null;
        foreach (var node in nodes)
        {
            var decision = node.Decision;
            if (decision.Own >= IsolationLevel.Local)
            {
                continue;
            }

            var (calls, bad) = node.Counters.Window.Read(timestamp);
            if (calls >= options.MinimumCalls)
            {
                var rate = (double)bad / calls;
                decision.Impact = ImpactOf(node, rate);
                decision.Health = 1.0 - rate;
            }
            else
            {
                // No evidence in the window: nothing is escaping now.
                decision.Impact = 0;
            }
        }

        foreach (var node in nodes)
        {
            var decision = node.Decision;
            if (decision.Own < IsolationLevel.Local)
            {
                Detect(node, IsolationRules.Classify(_layers, node.Layer, decision.Impact));
            }
            else if (!decision.Manual && Recover(node, now, timestamp))
            {
                (probes ??= []).Add(node);
            }
        }

        EndGlobalIfResolved(now);
        return probes;
    }

    /// <summary>Ends an automatic global isolation once L7's break duration has passed and the proportional rule no longer holds.</summary>
    private void EndGlobalIfResolved(DateTimeOffset now)
    {
        if (_globalBlocked && !_globalManual
            && now - _globalSince >= _settings.Layers[CosmicLayer.Cosmos].BreakDuration
            && !ShouldBeGlobal())
        {
            EndGlobal();
        }
    }

    /// <summary>A health score the host measured: fresh evidence for a node gathering it (trial or partial recovery),
    /// otherwise the node's current score.</summary>
    public void ReportHealth(NodeRuntime node, double health) => Decide((node, health), static (self, state) =>
    {
        var decision = state.node.Decision;
        if (decision.Own >= IsolationLevel.Local && !decision.Manual && decision.Recovery is RecoveryStage.Trial or RecoveryStage.Partial)
        {
            decision.Probing = false;
            self.JudgeFresh(state.node, state.health);
        }
        else
        {
            decision.Health = state.health;
        }
    });

    /// <summary>Moves one automatically isolated node through Waiting → Trial → (healed | Partial | AwaitingRelease).</summary>
    /// <returns>Whether a probe batch is due for the node.</returns>
    private bool Recover(NodeRuntime node, DateTimeOffset now, long timestamp)
    {
        var decision = node.Decision;
        var hasProbe = node.Declaration.Probe is not null;
        switch (decision.Recovery)
        {
            case RecoveryStage.Waiting when now - decision.IsolatedAt >= node.Settings.BreakDuration:
                StartEvidence(node, RecoveryStage.Trial);
                return hasProbe && StartProbe(decision);
            case RecoveryStage.Trial or RecoveryStage.Partial when hasProbe:
                return StartProbe(decision);
            case RecoveryStage.Trial or RecoveryStage.Partial:
                JudgeTrialCalls(node, timestamp);
                return false;
            default:
                return false;
        }
    }

    private static bool StartProbe(NodeDecision decision)
    {
        if (decision.Probing)
        {
            return false;
        }

        decision.Probing = true;
        return true;
    }

    /// <summary>Enters a stage that gathers fresh evidence: the window restarts so it holds only the new outcomes.</summary>
    private static void StartEvidence(NodeRuntime node, RecoveryStage stage)
    {
        node.Decision.Recovery = stage;
        node.Counters.Window.Reset();
        Interlocked.Exchange(ref node.Counters.Admitted, 0);
    }

    public void OnAdmittedCallCompleted(NodeRuntime node)
    {
        var (calls, _) = node.Counters.Window.Read(_time.GetTimestamp());
        if (calls < _settings.Options.Recovery.TrialCalls || node.Declaration.Probe is not null)
        {
            return;
        }

        Decide(node, static (self, node) =>
        {
            var decision = node.Decision;
            if (self.IsCurrent(node) && !decision.Manual && decision.Recovery is RecoveryStage.Trial or RecoveryStage.Partial)
            {
                self.JudgeTrialCalls(node, self._time.GetTimestamp());
            }
        });
    }

    private void JudgeTrialCalls(NodeRuntime node, long timestamp)
    {
        var (calls, bad) = node.Counters.Window.Read(timestamp);
        if (calls >= _settings.Options.Recovery.TrialCalls)
        {
            JudgeFresh(node, 1.0 - ((double)bad / calls));
        }
    }

    /// <summary>Applies the SPEC tiers to a fresh health score.</summary>
    private void JudgeFresh(NodeRuntime node, double health)
    {
        var options = _settings.Options;
        var decision = node.Decision;
        decision.Health = health;
        var stage = IsolationRules.Judge(health, options.HealingThreshold, options.ManualThreshold);
        using var activity = IsolationInstruments.StartDecision(node.Id, stage switch
        {
            RecoveryStage.None => "heal",
            RecoveryStage.Partial => "partial",
            _ => "await-release",
        });
        activity?.SetTag("cosmos.health", health);
        switch (stage)
        {
            case RecoveryStage.None:
                Log.NodeRecovered(_logger, node.Id, health);
                ResetNode(node, health);
                EndGlobalIfResolved(_time.GetUtcNow());
                break;
            case RecoveryStage.Partial:
                decision.Admission = IsolationRules.Admission(health, options.HealingThreshold, options.ManualThreshold);
                StartEvidence(node, RecoveryStage.Partial);
                break;
            default:
                decision.Recovery = RecoveryStage.AwaitingRelease;
                Log.NodeAwaitingRelease(_logger, node.Id, health);
                break;
        }
    }

    private static void ResetNode(NodeRuntime node, double health)
    {
        var decision = node.Decision;
        decision.Own = IsolationLevel.Normal;
        decision.Detected = IsolationLevel.Normal;
        decision.Manual = false;
        decision.Probing = false;
        decision.Recovery = RecoveryStage.None;
        decision.Admission = 1;
        decision.Impact = 0;
        decision.Health = health;
        node.Counters.Window.Reset();
        Volatile.Write(ref node.Counters.ConsecutiveFailures, 0);
        Interlocked.Exchange(ref node.Counters.Admitted, 0);
    }

    /// <summary>Runs the node's probe <see cref="RecoveryOptions.ProbeAttempts"/> times; the mean score is the fresh health.
    /// A run that throws or exceeds <see cref="RecoveryOptions.ProbeTimeout"/> scores 0.</summary>
    private async Task<double> ProbeAsync(NodeRuntime node, CancellationToken cancellationToken)
    {
        var recovery = _settings.Options.Recovery;
        var probe = node.Declaration.Probe!;
        using var activity = IsolationInstruments.ActivitySource.StartActivity(IsolationTelemetry.ProbeSpan);
        activity?.SetTag("cosmos.node", node.Id);
        var total = 0.0;
        for (var i = 0; i < recovery.ProbeAttempts; i++)
        {
            using var timeout = new CancellationTokenSource(recovery.ProbeTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                total += Math.Clamp(await probe(linked.Token).ConfigureAwait(false), 0, 1);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The evaluation was cancelled: no evidence either way.
                return double.NaN;
            }
#pragma warning disable CA1031 // A failing probe is evidence that the node is down, not an engine failure.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ProbeFailed(_logger, node.Id, ex);
            }
        }

        var health = total / recovery.ProbeAttempts;
        activity?.SetTag("cosmos.health", health);
        return health;
    }
}
