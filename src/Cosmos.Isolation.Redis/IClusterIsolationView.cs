namespace Cosmos.Isolation.Redis;

/// <summary>This instance's view of the cluster: its peers' reports, the nodes the quorum isolated, and whether the view is stale.</summary>
/// <remarks>Reading it never touches Redis. Register with <c>services.AddCosmosIsolationRedis(...)</c>.</remarks>
public interface IClusterIsolationView
{
    /// <summary>This instance's id in the cluster.</summary>
    string InstanceId { get; }

    /// <summary>Whether Redis has not answered for longer than <see cref="RedisIsolationClusterOptions.PeerTimeout"/>: this instance
    /// then decides from its own evidence only and imposes no cluster isolation.</summary>
    bool IsStale { get; }

    /// <summary>Gets the cluster view and this instance's own isolation snapshot.</summary>
    /// <returns>A snapshot.</returns>
    ClusterIsolationSnapshot GetSnapshot();
}
