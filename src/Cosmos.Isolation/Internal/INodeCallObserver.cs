using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Internal;

/// <summary>The narrow interface through which a node's call path reports to the controller, as Polly's breaker strategy
/// talks to its state controller: the strategy records outcomes itself and calls in only for evidence and blocked calls.</summary>
internal interface INodeCallObserver
{
    /// <summary>A failed or slow call, or a call the node's own breaker rejected, was recorded in the node's window:
    /// run detection. <paramref name="breakerOpens"/> is set when the call completed a streak that opens the breaker.</summary>
    void OnBadOutcome(NodeRuntime node, long timestamp, bool breakerOpens);

    /// <summary>Decides one call to a node whose verdict blocks: admit it (trial, partial recovery, exempt), route it to an
    /// alternate, or reject it.</summary>
    CallAdmission Admit(NodeRuntime node, NodeVerdict verdict, ResilienceContext context);

    /// <summary>A call admitted as fresh evidence (trial or partial recovery) completed on <paramref name="node"/>.</summary>
    void OnAdmittedCallCompleted(NodeRuntime node);

    /// <summary>Creates the rejection for a blocked call and counts it.</summary>
    NodeIsolatedException Reject(NodeRuntime node, NodeVerdict verdict);

    /// <summary>A call to <paramref name="node"/> was routed to <paramref name="alternate"/>.</summary>
    void OnFailedOver(NodeRuntime node, NodeRuntime alternate);

    /// <summary>The node's Polly breaker changed state.</summary>
    void OnBreakerChanged(NodeRuntime node, CircuitState state, bool isManual);
}

/// <summary>What happens to one blocked call.</summary>
internal readonly record struct CallAdmission(AdmissionResult Result, NodeRuntime? Target)
{
    public static CallAdmission Run => new(AdmissionResult.Run, null);

    public static CallAdmission Reject => new(AdmissionResult.Reject, null);
}

/// <summary>The decision for one blocked call.</summary>
internal enum AdmissionResult
{
    /// <summary>Reject with <see cref="NodeIsolatedException"/>.</summary>
    Reject = 0,

    /// <summary>Run it on the node.</summary>
    Run = 1,

    /// <summary>Run it on the node as fresh evidence; report its completion.</summary>
    Evidence = 2,

    /// <summary>Run it on the target alternate.</summary>
    Route = 3,
}
