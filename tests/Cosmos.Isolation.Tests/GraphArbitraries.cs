using FsCheck;
using FsCheck.Fluent;

namespace Cosmos.Isolation.Tests;

/// <summary>A dependency edge: <see cref="Dependent"/> depends on <see cref="Dependency"/>.</summary>
public readonly record struct Edge(int Dependent, int Dependency);

/// <summary>A generated dependency graph (cycles allowed, no self-edges) with per-node impacts and layers.</summary>
public sealed record GeneratedGraph(int Size, Edge[] Edges, double[] Impacts, int[] Layers, int Pick)
{
    /// <inheritdoc />
    public override string ToString()
        => $"{Size} nodes; edges [{string.Join(", ", Edges.Select(e => $"{e.Dependent}->{e.Dependency}"))}]; impacts [{string.Join(", ", Impacts.Select(i => i.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}]; layers [{string.Join(", ", Layers)}]; pick {Pick}";
}

/// <summary>FsCheck generators for the isolation properties.</summary>
public static class GraphArbitraries
{
    /// <summary>Graphs of 1 to 25 nodes with impacts in [0, 1] and layers L1..L7.</summary>
    public static Arbitrary<GeneratedGraph> Graphs() =>
        (from size in Gen.Choose(1, 25)
         from edges in Gen.ListOf(Gen.Zip(Gen.Choose(0, size - 1), Gen.Choose(0, size - 1)))
         from impacts in Gen.ArrayOf(Gen.Choose(0, 1000).Select(i => i / 1000.0), size)
         from layers in Gen.ArrayOf(Gen.Choose(1, 7), size)
         from pick in Gen.Choose(0, 1_000_000)
         select new GeneratedGraph(size, [.. edges.Where(e => e.Item1 != e.Item2).Distinct().Select(e => new Edge(e.Item1, e.Item2))], impacts, layers, pick))
        .ToArbitrary();
}
