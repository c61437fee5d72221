using FsCheck;
using FsCheck.Fluent;

namespace Cosmos.Core.Tests.Graph;

/// <summary>A random graph described by its size, edge count and the seed that draws the edges and source impacts.</summary>
public sealed record RandomGraph(int NodeCount, int EdgeCount, int Seed, double HopDecay, bool Split);

/// <summary>A <see cref="RandomGraph"/> with a hop bound.</summary>
public sealed record RandomGraphWithHops(int NodeCount, int EdgeCount, int Seed, double HopDecay, bool Split, int MaxHops);

/// <summary>A graph given as its edge list (dependent, dependency), a start node and a hop bound.</summary>
public sealed record EdgeListGraph(int NodeCount, (int Dependent, int Dependency)[] Edges, int Start, int MaxHops)
{
    /// <inheritdoc />
    public override string ToString() => $"n={NodeCount} start={Start} hops={MaxHops} edges=[{string.Join(", ", Edges)}]";
}

/// <summary>FsCheck arbitraries for the graph laws.</summary>
public static class GraphArbitraries
{
    /// <summary>Up to 60 nodes and 200 edges, any decay from 0 to 1.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<RandomGraph> RandomGraph()
    {
        var gen =
            from n in Gen.Choose(1, 60)
            from m in Gen.Choose(0, 200)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from decay in Gen.Elements(0.0, 0.05, 0.1, 0.5, 1.0)
            from split in Gen.Elements(true, false)
            select new RandomGraph(n, m, seed, decay, split);
        return gen.ToArbitrary();
    }

    /// <summary>Up to 50 nodes and 150 edges with hop bounds 0 to 16.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<RandomGraphWithHops> RandomGraphWithHops()
    {
        var gen =
            from n in Gen.Choose(1, 50)
            from m in Gen.Choose(0, 150)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from decay in Gen.Elements(0.0, 0.1, 0.3)
            from split in Gen.Elements(true, false)
            from maxHops in Gen.Elements(0, 1, 2, 5, 16)
            select new RandomGraphWithHops(n, m, seed, decay, split, maxHops);
        return gen.ToArbitrary();
    }

    /// <summary>Up to 40 nodes and 120 edges (self-loops and duplicates included).</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<EdgeListGraph> EdgeListGraph()
    {
        var gen =
            from n in Gen.Choose(1, 40)
            from m in Gen.Choose(0, 120)
            from edges in Gen.ArrayOf(Gen.Two(Gen.Choose(0, n - 1)), m)
            from start in Gen.Choose(0, n - 1)
            from hops in Gen.Elements(1, 2, 3, int.MaxValue)
            select new EdgeListGraph(n, edges, start, hops);
        return gen.ToArbitrary();
    }
}
