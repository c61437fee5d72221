namespace Cosmos.Isolation;

/// <summary>Where an isolated node stands on its way back to normal traffic.</summary>
public enum RecoveryStage
{
    /// <summary>The node is not isolated by its own detection or by an operator.</summary>
    None = 0,

    /// <summary>The node is blocked and waits for its layer's break duration before fresh evidence is gathered.</summary>
    Waiting = 1,

    /// <summary>Fresh health is in (0.4, 0.7]: a fraction (health − 0.4) / (0.7 − 0.4) of calls is admitted while evidence accumulates.</summary>
    Partial = 2,

    /// <summary>Fresh evidence put health at or below 0.4, or an operator isolated the node: it stays blocked until released.</summary>
    AwaitingRelease = 3,

    /// <summary>The break duration has passed and fresh evidence is being gathered: the node's probe runs or a few trial calls are admitted.</summary>
    Trial = 4,
}
