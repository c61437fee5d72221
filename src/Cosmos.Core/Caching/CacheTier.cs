namespace Cosmos.Core.Caching;

/// <summary>The three tiers of a <see cref="TieredCache"/>, from the narrowest scope to the widest.</summary>
public enum CacheTier
{
    /// <summary>L1: results of a single node (default 5 minutes, 100 MB).</summary>
    Node = 1,

    /// <summary>L2: results of a subtree of nodes (default 30 minutes, 500 MB).</summary>
    Subtree = 2,

    /// <summary>L3: whole-system results (default 2 hours, 2 GB).</summary>
    System = 3,
}
