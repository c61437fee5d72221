namespace Cosmos.Isolation;

/// <summary>How far a node is isolated, from no isolation up to the whole system.</summary>
public enum IsolationLevel
{
    /// <summary>The node's impact is below the warning level; calls flow.</summary>
    Normal = 0,

    /// <summary>The node's impact is at least the warning ratio times its layer's escape velocity; calls still flow.</summary>
    Warning = 1,

    /// <summary>The node alone is blocked: calls short-circuit to its fallback or fail with <see cref="NodeIsolatedException"/>.</summary>
    Local = 2,

    /// <summary>The node is blocked together with every node that depends on it, directly or transitively.</summary>
    Subtree = 3,

    /// <summary>The L7 global breaker is open: every call that is not exempt short-circuits.</summary>
    Global = 4,
}
