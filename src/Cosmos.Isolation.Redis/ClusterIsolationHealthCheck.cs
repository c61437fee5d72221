using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cosmos.Isolation.Redis;

/// <summary>Reports the cluster view on a host's health endpoint: Degraded while the view is stale ("cluster view stale":
/// decisions are local only) or while the quorum isolates nodes, Healthy otherwise.</summary>
/// <remarks>Register with <c>services.AddHealthChecks().AddCheck&lt;ClusterIsolationHealthCheck&gt;("cosmos-isolation-cluster")</c>;
/// the data carries the instance id, the stale flag, the live instances and the cluster-isolated nodes.</remarks>
public sealed class ClusterIsolationHealthCheck : IHealthCheck
{
    private readonly IClusterIsolationView _view;

    /// <summary>Creates the check over <paramref name="view"/>.</summary>
    /// <param name="view">The cluster view.</param>
    /// <exception cref="ArgumentNullException"><paramref name="view"/> is <see langword="null"/>.</exception>
    public ClusterIsolationHealthCheck(IClusterIsolationView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        _view = view;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = _view.GetSnapshot();
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["instance"] = snapshot.InstanceId,
            ["stale"] = snapshot.IsStale,
            ["live_instances"] = snapshot.IsStale ? 0 : snapshot.Instances.Count,
            ["required_votes"] = snapshot.RequiredVotes,
            ["cluster_isolated"] = string.Join(",", snapshot.ClusterIsolatedNodes),
        };
        HealthCheckResult result;
        if (snapshot.IsStale)
        {
            result = HealthCheckResult.Degraded("Cluster view stale: Redis is unreachable, isolation decisions are local only.", data: data);
        }
        else if (snapshot.ClusterIsolatedNodes.Count > 0)
        {
            result = HealthCheckResult.Degraded($"{snapshot.ClusterIsolatedNodes.Count} nodes isolated by the cluster quorum.", data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy($"{snapshot.Instances.Count} live instances, no cluster isolation.", data: data);
        }

        return Task.FromResult(result);
    }
}
