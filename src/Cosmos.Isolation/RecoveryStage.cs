namespace Cosmos.Isolation;

/// <summary>Where an isolated node stands on its way back to normal traffic.</summary>
public enum RecoveryStage
{
    /// <summary>The node is not isolated by its own detection or by an operator.</summary>
    None = 0,

    /// <summary>The node is blocked and waits for its layer's break duration before its health score is judged.</summary>
    Waiting = 1,

    /// <summary>Health is in (0.4, 0.7]: a fraction of calls, (health − 0.4) / (0.7 − 0.4), is admitted.</summary>
    Partial = 2,

    /// <summary>Health was at or below 0.4, or an operator isolated the node: it stays blocked until released.</summary>
    AwaitingRelease = 3,
}
