using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Cosmos.Core;

namespace Cosmos.Isolation;

/// <summary>Options for the isolation engine registered by <c>AddCosmosIsolation</c>.</summary>
/// <remarks>Reloading through <c>IOptionsMonitor</c> applies new thresholds, durations and per-layer settings to
/// running nodes without resetting their circuit breakers; the node set changes through
/// <see cref="IIsolationEngine.AddNode"/> and <see cref="IIsolationEngine.RemoveNode"/>.</remarks>
public sealed partial class CosmosIsolationOptions
{
    /// <summary>Creates the options with SPEC defaults for every layer.</summary>
    public CosmosIsolationOptions()
    {
        foreach (var layer in Enum.GetValues<CosmicLayer>())
        {
            Layers[layer] = LayerIsolationOptions.CreateDefault(layer);
        }
    }

    /// <summary>The nodes declared at start-up.</summary>
    public IList<IsolationNode> Nodes { get; } = new List<IsolationNode>();

    /// <summary>Per-layer breaker, slow-call, retry and fallback settings; every layer has an entry.</summary>
    public IDictionary<CosmicLayer, LayerIsolationOptions> Layers { get; } = new Dictionary<CosmicLayer, LayerIsolationOptions>();

    /// <summary>Length of each node's time-based sliding window of outcomes.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan WindowDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Number of buckets the window is split into; the window slides one bucket at a time.</summary>
    /// <value>The default value is 10.</value>
    [Range(1, 3600)]
    public int WindowBuckets { get; set; } = 10;

    /// <summary>Calls a window must hold before its failure rate counts as evidence for detection and health.</summary>
    /// <value>The default value is 10.</value>
    [Range(1, int.MaxValue)]
    public int MinimumCalls { get; set; } = 10;

    /// <summary>How often the engine re-evaluates every node (detection, escalation, recovery).</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Health strictly above this heals an isolated node automatically.</summary>
    /// <value>The default value is 0.7.</value>
    [Range(0.0, 1.0)]
    public double HealingThreshold { get; set; } = 0.7;

    /// <summary>Health at or below this leaves an isolated node blocked until an operator releases it.</summary>
    /// <value>The default value is 0.4. Must be below <see cref="HealingThreshold"/>.</value>
    [Range(0.0, 1.0)]
    public double ManualThreshold { get; set; } = 0.4;

    /// <summary>Global isolation starts when the nodes isolated by failing nodes, with any single failing node explained
    /// away, cover at least this share of the system (as Envoy's panic threshold); an L7 node going Local also starts it.</summary>
    /// <value>The default value is 0.5.</value>
    [Range(double.Epsilon, 1.0)]
    public double GlobalIsolationShare { get; set; } = 0.5;

    /// <summary>How isolated nodes gather fresh evidence of their health: probes or trial calls.</summary>
    [ValidateObjectMembers]
    public RecoveryOptions Recovery { get; set; } = new();

    /// <summary>Declares a node and returns the declaration for further configuration.</summary>
    /// <param name="id">The node id.</param>
    /// <param name="layer">The node's layer.</param>
    /// <param name="dependsOn">Ids of the nodes it depends on.</param>
    /// <returns>The new declaration, already added to <see cref="Nodes"/>.</returns>
    public IsolationNode AddNode(string id, CosmicLayer layer, params IEnumerable<string> dependsOn)
    {
        var node = new IsolationNode(id, layer, dependsOn);
        Nodes.Add(node);
        return node;
    }
}
