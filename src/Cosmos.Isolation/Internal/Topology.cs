using System.Collections.Frozen;
using Cosmos.Core.Graph;

namespace Cosmos.Isolation.Internal;

/// <summary>An immutable view of the node set: dense indexes, the CSR dependency graph and a traversal scratch space.</summary>
/// <remarks>Replaced as a whole when nodes are added or removed, so readers never see a half-built graph.</remarks>
internal sealed class Topology
{
    private Topology(NodeRuntime[] nodes, FrozenDictionary<string, int> index, DependencyGraph graph)
    {
        Nodes = nodes;
        Index = index;
        Graph = graph;
        Traversal = graph.CreateTraversal();
        Cover = new int[nodes.Length];
    }

    public NodeRuntime[] Nodes { get; }

    public FrozenDictionary<string, int> Index { get; }

    public DependencyGraph Graph { get; }

    /// <summary>Scratch space for subtree queries; used only under the engine lock.</summary>
    public DependencyTraversal Traversal { get; }

    /// <summary>Scratch of one counter per node for the proportional global rule; used only under the engine lock.</summary>
    public int[] Cover { get; }

    public static Topology Build(IReadOnlyList<NodeRuntime> nodes)
    {
        var builder = new DependencyGraphBuilder(nodes.Count, nodes.Count * 2);
        foreach (var node in nodes)
        {
            builder.AddNode(node.Id);
        }

        foreach (var node in nodes)
        {
            foreach (var dependency in node.Declaration.DependsOn)
            {
                builder.AddDependency(node.Id, dependency);
            }
        }

        var graph = builder.Build();
        var array = nodes.ToArray();
        var index = new Dictionary<string, int>(array.Length, StringComparer.Ordinal);
        for (var i = 0; i < array.Length; i++)
        {
            index[array[i].Id] = i;
        }

        var frozen = index.ToFrozenDictionary(StringComparer.Ordinal);
        foreach (var node in array)
        {
            node.Alternates = node.Declaration.Alternates.Count == 0
                ? null
                : [.. node.Declaration.Alternates.Where(frozen.ContainsKey).Select(id => array[frozen[id]])];
        }

        var topology = new Topology(array, frozen, graph);
        topology.RefreshGraphInputs();
        return topology;
    }

    /// <summary>Computes each node's blast radius (share of the other nodes that depend on it, transitively) and fan-in
    /// (direct dependents relative to the most depended-upon node).</summary>
    private void RefreshGraphInputs()
    {
        var count = Nodes.Length;
        var maxDirect = 0;
        for (var i = 0; i < count; i++)
        {
            maxDirect = Math.Max(maxDirect, Graph.GetFanOut(Graph.GetIndex(Nodes[i].Id)));
        }

        for (var i = 0; i < count; i++)
        {
            var node = Nodes[i];
            var graphIndex = Graph.GetIndex(node.Id);
            node.Index = i;
            var transitive = Traversal.GetTransitiveDependents(graphIndex).Length;
            node.BlastRadius = count > 1 ? (double)transitive / (count - 1) : 0;
            node.FanIn = maxDirect > 0 ? (double)Graph.GetFanOut(graphIndex) / maxDirect : 0;
        }
    }

    /// <summary>The transitive dependents of <paramref name="node"/> (itself excluded), valid until the next query.</summary>
    public ReadOnlySpan<int> Dependents(NodeRuntime node) => Traversal.GetTransitiveDependents(Graph.GetIndex(node.Id));
}
