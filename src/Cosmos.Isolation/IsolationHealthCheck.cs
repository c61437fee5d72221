using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cosmos.Isolation;

/// <summary>Reports the isolation engine on a host's health endpoint: Healthy, Degraded while nodes are isolated, Unhealthy under global isolation.</summary>
/// <remarks>Register it with <c>services.AddHealthChecks().AddCheck&lt;IsolationHealthCheck&gt;("cosmos-isolation")</c>; the data
/// carries each node's level, health and breaker state.</remarks>
public sealed class IsolationHealthCheck : IHealthCheck
{
    private readonly IIsolationEngine _engine;

    /// <summary>Creates the check over <paramref name="engine"/>.</summary>
    /// <param name="engine">The isolation engine.</param>
    /// <exception cref="ArgumentNullException"><paramref name="engine"/> is <see langword="null"/>.</exception>
    public IsolationHealthCheck(IIsolationEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = _engine.GetSnapshot();
        var data = new Dictionary<string, object>(snapshot.Nodes.Count + 1, StringComparer.Ordinal)
        {
            ["global"] = snapshot.GlobalIsolation,
        };
        var isolated = 0;
        foreach (var node in snapshot.Nodes)
        {
            data[node.Id] = $"{node.Level}; health {node.Health:F2}; breaker {node.BreakerState}; recovery {node.Recovery}";
            if (node.Level >= IsolationLevel.Local)
            {
                isolated++;
            }
        }

        HealthCheckResult result;
        if (snapshot.GlobalIsolation)
        {
            result = HealthCheckResult.Unhealthy("Global isolation is active.", data: data);
        }
        else if (isolated > 0)
        {
            result = HealthCheckResult.Degraded($"{isolated} of {snapshot.Nodes.Count} nodes are isolated.", data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy($"{snapshot.Nodes.Count} nodes, none isolated.", data: data);
        }

        return Task.FromResult(result);
    }
}
