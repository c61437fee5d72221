using System.ComponentModel.DataAnnotations;

namespace Cosmos.Isolation.Redis;

/// <summary>Options for the cluster view registered by <c>AddCosmosIsolationRedis</c>.</summary>
/// <remarks>The quorum rule: a node is isolated on every instance when at least <see cref="Quorum"/> live instances report it
/// at <see cref="IsolationLevel.Local"/> or worse from their own evidence (a majority of live instances, and never fewer than
/// two, when <see cref="Quorum"/> is <see langword="null"/>).</remarks>
public sealed class RedisIsolationClusterOptions
{
    /// <summary>The StackExchange.Redis configuration string (<c>host:port,password=...</c>); used when no
    /// <c>IConnectionMultiplexer</c> is registered in the container.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Configuration { get; set; }

    /// <summary>The name that separates clusters sharing one Redis: instances with the same name share decisions.</summary>
    /// <value>The default value is <c>default</c>.</value>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string ClusterName { get; set; } = "default";

    /// <summary>The prefix of every key and channel this package uses.</summary>
    /// <value>The default value is <c>cosmos:isolation</c>.</value>
    [Required]
    public string KeyPrefix { get; set; } = "cosmos:isolation";

    /// <summary>This instance's id, unique in the cluster; <see langword="null"/> for the machine name, the process id and a random suffix.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [RegularExpression("^[A-Za-z0-9._:-]{1,128}$")]
    public string? InstanceId { get; set; }

    /// <summary>How often (10 ms to 1 min) this instance publishes its report and re-reads its peers' reports and the operator log.</summary>
    /// <value>The default value is 250 milliseconds.</value>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a report stays live without a heartbeat, and how long Redis may be unreachable before the cluster
    /// view is stale; must be at least twice <see cref="HeartbeatInterval"/>.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many live instances must report a node at Local or worse for it to be isolated on every instance;
    /// <see langword="null"/> for a majority of the live instances. Never below 2: one instance alone cannot isolate a node cluster-wide.</summary>
    /// <value>The default value is <see langword="null"/> (majority, at least 2).</value>
    [Range(2, 1024)]
    public int? Quorum { get; set; }
}
