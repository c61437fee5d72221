using Polly;

namespace Cosmos.Isolation.Internal;

// Blocked calls: admission (exempt, trial, partial), failover to the healthiest live alternate, rejection.
internal sealed partial class IsolationController
{
    public CallAdmission Admit(NodeRuntime node, NodeVerdict verdict, ResilienceContext context)
    {
        if (verdict.GlobalOnly && IsExempt(context))
        {
            return CallAdmission.Run;
        }

        var gatekeeper = verdict.Gatekeeper;
        switch (verdict.Admission)
        {
            case AdmissionKind.Trial when ReferenceEquals(gatekeeper, node):
                if (Interlocked.Increment(ref node.Counters.Admitted) <= (long)verdict.Share)
                {
                    return new CallAdmission(AdmissionResult.Evidence, null);
                }

                break;
            case AdmissionKind.Trial:
                // A dependent of a node on trial runs while the trial budget lasts; the node's own guard spends it.
                if (Volatile.Read(ref gatekeeper!.Counters.Admitted) < (long)verdict.Share)
                {
                    return CallAdmission.Run;
                }

                break;
            case AdmissionKind.Partial:
                // Exactly floor(k·p) of the first k blocked calls pass while the share p stays the same.
                var k = Interlocked.Increment(ref node.Counters.Admitted);
                if ((long)(k * verdict.Share) > (long)((k - 1) * verdict.Share))
                {
                    return ReferenceEquals(gatekeeper, node) ? new CallAdmission(AdmissionResult.Evidence, null) : CallAdmission.Run;
                }

                break;
        }

        var alternate = PickAlternate(verdict.Alternates);
        return alternate is null ? CallAdmission.Reject : new CallAdmission(AdmissionResult.Route, alternate);
    }

    /// <summary>The healthiest alternate whose verdict passes (the first declared among equals), or <see langword="null"/>.</summary>
    internal static NodeRuntime? PickAlternate(NodeRuntime[]? alternates)
    {
        if (alternates is null)
        {
            return null;
        }

        NodeRuntime? best = null;
        var bestHealth = double.NegativeInfinity;
        foreach (var alternate in alternates)
        {
            if (alternate.Verdict.Passes)
            {
                var health = alternate.Decision.Health;
                if (health > bestHealth)
                {
                    best = alternate;
                    bestHealth = health;
                }
            }
        }

        return best;
    }

    public NodeIsolatedException Reject(NodeRuntime node, NodeVerdict verdict)
    {
        Interlocked.Increment(ref node.Counters.Rejected);
        _instruments.Rejected(node.Id, verdict.Level);
        if (verdict.RetryAt is not { } retryAt)
        {
            return new NodeIsolatedException(node.Id, verdict.Level, verdict.CauseNodeId);
        }

        var after = retryAt - _time.GetUtcNow();
        return new NodeIsolatedException(node.Id, verdict.Level, verdict.CauseNodeId, after > TimeSpan.Zero ? after : TimeSpan.Zero);
    }

    public void OnFailedOver(NodeRuntime node, NodeRuntime alternate)
    {
        Interlocked.Increment(ref node.Counters.FailedOver);
        _instruments.FailedOver(node.Id, alternate.Id);
    }

    private static bool IsExempt(ResilienceContext context)
        => context.Properties.TryGetValue(IsolationContext.Exempt, out var exempt) && exempt;
}
