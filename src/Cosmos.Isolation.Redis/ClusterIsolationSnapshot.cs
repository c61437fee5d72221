namespace Cosmos.Isolation.Redis;

/// <summary>A point-in-time view of the cluster as this instance sees it.</summary>
/// <param name="Timestamp">When the snapshot was taken.</param>
/// <param name="InstanceId">This instance's id.</param>
/// <param name="IsStale">Whether the cluster view is stale (Redis unreachable for longer than the peer timeout): decisions are local only.</param>
/// <param name="LastContact">When Redis last answered, or <see langword="null"/> when it never did.</param>
/// <param name="RequiredVotes">How many live instances must report a node at Local or worse to isolate it everywhere, now.</param>
/// <param name="Instances">The live instances' latest reports, this instance's own first.</param>
/// <param name="ClusterIsolatedNodes">The nodes the quorum isolates on this instance (beyond its own evidence).</param>
/// <param name="Local">This instance's isolation snapshot.</param>
public sealed record ClusterIsolationSnapshot(
    DateTimeOffset Timestamp,
    string InstanceId,
    bool IsStale,
    DateTimeOffset? LastContact,
    int RequiredVotes,
    IReadOnlyList<ClusterInstanceReport> Instances,
    IReadOnlyList<string> ClusterIsolatedNodes,
    IsolationSnapshot Local);
