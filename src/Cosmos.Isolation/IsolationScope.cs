namespace Cosmos.Isolation;

/// <summary>Which nodes a manual isolate or release acts on.</summary>
public enum IsolationScope
{
    /// <summary>Only the named node.</summary>
    Node = 0,

    /// <summary>The named node and every node that depends on it, directly or transitively.</summary>
    Subtree = 1,
}
