namespace Cosmos.Isolation.Redis;

/// <summary>One instance's own decision about one node, from its own evidence (cluster-imposed isolation is never reported).</summary>
/// <param name="NodeId">The node id.</param>
/// <param name="Level">The level the instance's own evidence or an operator put the node at.</param>
/// <param name="Health">The node's health score in [0, 1] on that instance.</param>
/// <param name="Since">When the instance moved the node to <paramref name="Level"/> (its own clock).</param>
/// <param name="Manual">Whether an operator isolated the node; operator isolations travel as operator actions and are not votes.</param>
public sealed record ClusterNodeReport(string NodeId, IsolationLevel Level, double Health, DateTimeOffset Since, bool Manual);
