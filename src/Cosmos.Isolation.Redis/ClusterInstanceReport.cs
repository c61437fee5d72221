namespace Cosmos.Isolation.Redis;

/// <summary>What one instance published about its own decisions.</summary>
/// <param name="InstanceId">The instance id.</param>
/// <param name="Timestamp">When the instance published the report (its own clock).</param>
/// <param name="OperatorSequence">The last operator action the instance had applied; a vote older than a release is ignored.</param>
/// <param name="Nodes">The instance's own decision per node.</param>
public sealed record ClusterInstanceReport(
    string InstanceId,
    DateTimeOffset Timestamp,
    long OperatorSequence,
    IReadOnlyList<ClusterNodeReport> Nodes);
