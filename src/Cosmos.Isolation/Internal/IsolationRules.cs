using Cosmos.Core;
using Cosmos.Core.Graph;

namespace Cosmos.Isolation.Internal;

/// <summary>The rules that decide isolation, as pure functions of impacts, layers and the graph: the "behaviour" that
/// trips, kept apart from the controller that applies it (as Polly keeps its circuit behaviour apart from its state
/// controller), so each rule is tested and measured on its own.</summary>
/// <remarks>
/// <para>Detection: impact ≥ the layer's escape velocity is Local, ≥ warning ratio × it is Warning (SPEC §2). A node whose
/// breaker opened (FailureThreshold consecutive bad calls) is hard down: its impact counts as at least its escape velocity.</para>
/// <para>Escalation: a Local node with dependents isolates its subtree when the cumulative velocity
/// V = 1 − ∏(1 − impact) over the node and its transitive dependents reaches the escape velocity of the layer above.</para>
/// <para>Proportion: the global breaker opens when a failing node is on L7, or when the nodes isolated by failing nodes still
/// cover at least the configured share of the system after any single failing node is explained away:
/// M = min over failing r of |∪ over failing s ≠ r of covered(s)|, with covered(s) = {s} or s's subtree. One failing node
/// gives M = 0, so it never takes the system down on its own; adding failures or raising impacts only grows every union,
/// and a new failing node adds a term no smaller than the old ones, so M is monotone in every impact.</para>
/// </remarks>
internal static class IsolationRules
{
    /// <summary>impact = α·r + β·(r · blast radius) + γ·(r · fan-in), with r the failure rate of the node's window.</summary>
    public static double Impact(LayerModel layers, double failureRate, double blastRadius, double fanIn)
        => layers.Impact(failureRate, failureRate * blastRadius, failureRate * fanIn);

    /// <summary>An opened breaker is evidence that the node is hard down: its impact is at least its escape velocity.</summary>
    public static double WithBreakerEvidence(LayerModel layers, CosmicLayer layer, double impact, bool breakerOpened)
        => breakerOpened ? Math.Max(impact, layers.GetEscapeVelocity(layer)) : impact;

    public static IsolationLevel Classify(LayerModel layers, CosmicLayer layer, double impact) => layers.Classify(layer, impact) switch
    {
        ImpactLevel.Local => IsolationLevel.Local,
        ImpactLevel.Warning => IsolationLevel.Warning,
        _ => IsolationLevel.Normal,
    };

    /// <summary>The escape velocity a subtree's cumulative velocity must reach: the next layer up's (L7's for L7).</summary>
    public static double SubtreeThreshold(LayerModel layers, CosmicLayer layer)
        => layers.GetEscapeVelocity(LayerModel.NextLayerUp(layer) ?? CosmicLayer.Cosmos);

    /// <summary>Whether a Local node escalates to its subtree: V(node ∪ dependents) ≥ the next layer's escape velocity.</summary>
    /// <param name="layers">The layer model.</param>
    /// <param name="layer">The failing node's layer.</param>
    /// <param name="impacts">The impacts of the node and of its transitive dependents (at least one dependent).</param>
    public static bool EscalatesToSubtree(LayerModel layers, CosmicLayer layer, ReadOnlySpan<double> impacts)
        => impacts.Length > 1 && VelocityMath.CumulativeVelocity(impacts) >= SubtreeThreshold(layers, layer);

    /// <summary>Computes M, the number of nodes that stay covered when any single failing node is explained away.</summary>
    /// <param name="traversal">Scratch space over the graph.</param>
    /// <param name="failing">Indexes of the failing nodes.</param>
    /// <param name="subtree">Per failing node (same position): whether its isolation covers its subtree.</param>
    /// <param name="cover">Scratch of one counter per graph node, all zero on entry and on return.</param>
    public static int IndependentCoverage(DependencyTraversal traversal, ReadOnlySpan<int> failing, ReadOnlySpan<bool> subtree, Span<int> cover)
    {
        if (failing.Length < 2)
        {
            return 0;
        }

        // Pass 1: how many failing nodes cover each node; union size.
        var union = 0;
        for (var i = 0; i < failing.Length; i++)
        {
            union += Mark(cover, failing[i], +1);
            if (subtree[i])
            {
                foreach (var d in traversal.GetTransitiveDependents(failing[i]))
                {
                    union += Mark(cover, d, +1);
                }
            }
        }

        // Pass 2: the nodes only one failing node covers; the largest such set is what one explanation can remove.
        var largestUnique = 0;
        for (var i = 0; i < failing.Length; i++)
        {
            var unique = cover[failing[i]] == 1 ? 1 : 0;
            if (subtree[i])
            {
                foreach (var d in traversal.GetTransitiveDependents(failing[i]))
                {
                    unique += cover[d] == 1 ? 1 : 0;
                }
            }

            largestUnique = Math.Max(largestUnique, unique);
        }

        // Pass 3: clear the scratch for the next caller.
        for (var i = 0; i < failing.Length; i++)
        {
            cover[failing[i]] = 0;
            if (subtree[i])
            {
                foreach (var d in traversal.GetTransitiveDependents(failing[i]))
                {
                    cover[d] = 0;
                }
            }
        }

        return union - largestUnique;
    }

    private static int Mark(Span<int> cover, int node, int delta)
    {
        cover[node] += delta;
        return cover[node] == 1 ? 1 : 0;
    }

    /// <summary>Whether the covered count reaches the share of <paramref name="nodeCount"/> nodes.</summary>
    public static bool ReachesShare(int independentCoverage, int nodeCount, double share)
        => nodeCount > 0 && independentCoverage > 0 && independentCoverage >= share * nodeCount;

    /// <summary>The SPEC tiers on a fresh health score: above healing heals, above manual ramps, otherwise waits for an operator.</summary>
    public static RecoveryStage Judge(double health, double healingThreshold, double manualThreshold)
        => health > healingThreshold ? RecoveryStage.None
            : health > manualThreshold ? RecoveryStage.Partial
            : RecoveryStage.AwaitingRelease;

    /// <summary>The share of calls admitted in partial recovery: (health − manual) / (healing − manual).</summary>
    public static double Admission(double health, double healingThreshold, double manualThreshold)
        => Math.Clamp((health - manualThreshold) / (healingThreshold - manualThreshold), 0, 1);

    /// <summary>Applies detection, escalation and the proportional global rule to a whole graph at once.</summary>
    /// <param name="graph">The dependency graph.</param>
    /// <param name="traversal">Scratch space over <paramref name="graph"/>.</param>
    /// <param name="layers">The layer model.</param>
    /// <param name="nodeLayers">Each node's layer.</param>
    /// <param name="impacts">Each node's impact in [0, 1].</param>
    /// <param name="share">The global isolation share.</param>
    /// <param name="levels">Receives each node's own level: Normal, Warning, Local or Subtree (for a failing root).</param>
    /// <returns>Whether the global breaker opens.</returns>
    public static bool Decide(DependencyGraph graph, DependencyTraversal traversal, LayerModel layers, ReadOnlySpan<CosmicLayer> nodeLayers,
        ReadOnlySpan<double> impacts, double share, Span<IsolationLevel> levels)
    {
        var count = graph.NodeCount;
        var failing = new List<int>();
        var subtree = new List<bool>();
        var global = false;
        double[]? buffer = null;
        for (var i = 0; i < count; i++)
        {
            levels[i] = Classify(layers, nodeLayers[i], impacts[i]);
            if (levels[i] != IsolationLevel.Local)
            {
                continue;
            }

            var dependents = traversal.GetTransitiveDependents(i);
            if (dependents.Length > 0)
            {
                if (buffer is null || buffer.Length < dependents.Length + 1)
                {
                    buffer = new double[Math.Max(dependents.Length + 1, 2 * (buffer?.Length ?? 0))];
                }

                buffer[0] = impacts[i];
                for (var k = 0; k < dependents.Length; k++)
                {
                    buffer[k + 1] = impacts[dependents[k]];
                }

                if (EscalatesToSubtree(layers, nodeLayers[i], buffer.AsSpan(0, dependents.Length + 1)))
                {
                    levels[i] = IsolationLevel.Subtree;
                }
            }

            failing.Add(i);
            subtree.Add(levels[i] == IsolationLevel.Subtree);
            global |= nodeLayers[i] == CosmicLayer.Cosmos;
        }

        if (global)
        {
            return true;
        }

        var cover = new int[count];
        var coverage = IndependentCoverage(traversal, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(failing),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(subtree), cover);
        return ReachesShare(coverage, count, share);
    }
}
