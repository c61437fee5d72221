using Cosmos.Core;

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

    internal Func<Exception, TResult>? GetFallback<TResult>()
        => _fallbacks.TryGetValue(typeof(TResult), out var fallback) ? (Func<Exception, TResult>)fallback : null;

    internal IsolationNode Clone()
    {
        var copy = new IsolationNode { Id = Id, Layer = Layer, ExemptFromGlobalIsolation = ExemptFromGlobalIsolation };
        foreach (var dependency in DependsOn)
        {
            copy.DependsOn.Add(dependency);
        }

        foreach (var pair in _fallbacks)
        {
            copy._fallbacks[pair.Key] = pair.Value;
        }

        return copy;
    }
}
