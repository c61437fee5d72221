using Cosmos.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cosmos.Isolation;

/// <summary>A component the host declares to the isolation engine: its id, layer, what it depends on and its fallbacks.</summary>
public sealed class IsolationNode
{
    private readonly Dictionary<Type, Delegate> _fallbacks = [];

    /// <summary>Creates an empty declaration; set <see cref="Id"/> and <see cref="Layer"/> before use.</summary>
    public IsolationNode()
    {
    }

    /// <summary>Creates a declaration for <paramref name="id"/> on <paramref name="layer"/>.</summary>
    /// <param name="id">The node id, unique in the graph.</param>
    /// <param name="layer">The node's layer; its escape velocity is the node's detection threshold.</param>
    /// <param name="dependsOn">Ids of the nodes this node calls.</param>
    public IsolationNode(string id, CosmicLayer layer, params IEnumerable<string> dependsOn)
    {
        ArgumentNullException.ThrowIfNull(dependsOn);
        Id = id;
        Layer = layer;
        foreach (var dependency in dependsOn)
        {
            DependsOn.Add(dependency);
        }
    }

    /// <summary>The node id, unique in the graph and not empty.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The node's layer.</summary>
    /// <value>The default value is <see cref="CosmicLayer.Molecular"/> (L3).</value>
    public CosmicLayer Layer { get; set; } = CosmicLayer.Molecular;

    /// <summary>Ids of the nodes this node depends on; when one of them is isolated with its subtree, this node is too.</summary>
    public IList<string> DependsOn { get; } = new List<string>();

    /// <summary>When <see langword="true"/>, calls through this node pass global isolation (for example a health endpoint).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ExemptFromGlobalIsolation { get; set; }

    /// <summary>Ids of nodes that can serve this node's calls while it is isolated (replicas, a secondary region), in order of preference.</summary>
    /// <remarks>Alternates are declared nodes with their own breakers and health; an isolated node's pipeline routes each
    /// call to the healthiest alternate that is not isolated, before its fallback answers.</remarks>
    public IList<string> Alternates { get; } = new List<string>();

    /// <summary>Adds alternates (failover targets) and returns this declaration.</summary>
    /// <param name="nodeIds">Ids of declared nodes that can serve this node's calls.</param>
    /// <returns>This declaration, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nodeIds"/> is <see langword="null"/>.</exception>
    public IsolationNode WithAlternates(params IEnumerable<string> nodeIds)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        foreach (var id in nodeIds)
        {
            Alternates.Add(id);
        }

        return this;
    }

    /// <summary>Registers a probe that measures the node's health after its break duration, instead of trial calls.</summary>
    /// <param name="probe">Answers whether the node serves now; it runs <see cref="RecoveryOptions.ProbeAttempts"/> times
    /// back to back and the share of <see langword="true"/> answers is the node's fresh health. A throwing probe counts as <see langword="false"/>.</param>
    /// <returns>This declaration, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="probe"/> is <see langword="null"/>.</exception>
    public IsolationNode WithProbe(Func<CancellationToken, ValueTask<bool>> probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        Probe = async ct => await probe(ct).ConfigureAwait(false) ? 1.0 : 0.0;
        return this;
    }

    /// <summary>Registers a health check that measures the node's health after its break duration, instead of trial calls.</summary>
    /// <param name="healthCheck">The check; <see cref="HealthStatus.Healthy"/> scores 1, <see cref="HealthStatus.Degraded"/> 0.5 and
    /// <see cref="HealthStatus.Unhealthy"/> (or an exception) 0, averaged over <see cref="RecoveryOptions.ProbeAttempts"/> runs.</param>
    /// <returns>This declaration, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="healthCheck"/> is <see langword="null"/>.</exception>
    public IsolationNode WithHealthCheck(IHealthCheck healthCheck)
    {
        ArgumentNullException.ThrowIfNull(healthCheck);
        Probe = async ct =>
        {
            var context = new HealthCheckContext
            {
                Registration = new HealthCheckRegistration(Id, healthCheck, HealthStatus.Unhealthy, null),
            };
            var result = await healthCheck.CheckHealthAsync(context, ct).ConfigureAwait(false);
            return result.Status switch
            {
                HealthStatus.Healthy => 1.0,
                HealthStatus.Degraded => 0.5,
                _ => 0.0,
            };
        };
        return this;
    }

    /// <summary>Registers the answer the node's <see cref="Polly.ResiliencePipeline{T}"/> returns instead of failing.</summary>
    /// <typeparam name="TResult">The result type of the typed pipeline that uses this fallback.</typeparam>
    /// <param name="fallback">Computes the substitute answer from the exception that stopped the call.</param>
    /// <returns>This declaration, for chaining.</returns>
    /// <remarks>The fallback answers when the node is isolated or its breaker is open; on L3 nodes (or any layer with
    /// <see cref="LayerIsolationOptions.FallbackOnFailure"/>) it also answers for ordinary failures.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="fallback"/> is <see langword="null"/>.</exception>
    public IsolationNode WithFallback<TResult>(Func<Exception, TResult> fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        _fallbacks[typeof(TResult)] = fallback;
        return this;
    }

    /// <summary>Adds dependencies and returns this declaration.</summary>
    /// <param name="nodeIds">Ids of the nodes this node calls.</param>
    /// <returns>This declaration, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nodeIds"/> is <see langword="null"/>.</exception>
    public IsolationNode DependingOn(params IEnumerable<string> nodeIds)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        foreach (var id in nodeIds)
        {
            DependsOn.Add(id);
        }

        return this;
    }

    /// <summary>The registered probe as a score in [0, 1] per run, or <see langword="null"/> (trial calls measure health).</summary>
    internal Func<CancellationToken, ValueTask<double>>? Probe { get; private set; }

    internal Func<Exception, TResult>? GetFallback<TResult>()
        => _fallbacks.TryGetValue(typeof(TResult), out var fallback) ? (Func<Exception, TResult>)fallback : null;

    internal IsolationNode Clone()
    {
        var copy = new IsolationNode { Id = Id, Layer = Layer, ExemptFromGlobalIsolation = ExemptFromGlobalIsolation, Probe = Probe };
        foreach (var dependency in DependsOn)
        {
            copy.DependsOn.Add(dependency);
        }

        foreach (var alternate in Alternates)
        {
            copy.Alternates.Add(alternate);
        }

        foreach (var pair in _fallbacks)
        {
            copy._fallbacks[pair.Key] = pair.Value;
        }

        return copy;
    }
}
