using System.Globalization;
using Cosmos.Core.Math;
using FsCheck;
using FsCheck.Fluent;

namespace Cosmos.Core.Tests.Math;

/// <summary>Up to 300 velocities in [0, 1] (see <see cref="VelocityGen.Unit"/>).</summary>
public sealed record Velocities(double[] Values)
{
    /// <inheritdoc />
    public override string ToString() => VelocityArbitraries.Format(Values);
}

/// <summary>Up to 12 velocities in [0, 1), small enough for the exact-fraction reference.</summary>
public sealed record SmallVelocities(double[] Values)
{
    /// <inheritdoc />
    public override string ToString() => VelocityArbitraries.Format(Values);
}

/// <summary>Velocities, an index into them and another velocity to put there.</summary>
public sealed record RaisedVelocity(double[] Values, int Index, double Other)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{VelocityArbitraries.Format(Values)} [{Index}] <- {Other:R}");
}

/// <summary>Velocities and a permutation of them.</summary>
public sealed record PermutedVelocities(double[] Values, double[] Permuted)
{
    /// <inheritdoc />
    public override string ToString() => $"{VelocityArbitraries.Format(Values)} / {VelocityArbitraries.Format(Permuted)}";
}

/// <summary>Three input columns of one length and valid weights.</summary>
public sealed record ImpactBatch(double[] ChangeRate, double[] ScaleFactor, double[] DependencyWeight, ImpactWeights Weights)
{
    /// <inheritdoc />
    public override string ToString()
        => $"{VelocityArbitraries.Format(ChangeRate)} {VelocityArbitraries.Format(ScaleFactor)} {VelocityArbitraries.Format(DependencyWeight)} {Weights}";
}

/// <summary>FsCheck arbitraries for the velocity-math laws; <see cref="Seed"/> fixes every run to the same cases.</summary>
public static class VelocityArbitraries
{
    /// <summary>The replay seed of every velocity property: change it to explore, keep it to reproduce.</summary>
    public const string Seed = "(787717,11400714819323198485)";

    /// <summary>Velocities of any exponent.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<Velocities> Velocities() => VelocityGen.ArrayOf(VelocityGen.Unit, 300).Select(v => new Velocities(v)).ToArbitrary();

    /// <summary>Short arrays below 1.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<SmallVelocities> SmallVelocities() => VelocityGen.ArrayOf(VelocityGen.BelowOne, 12).Select(v => new SmallVelocities(v)).ToArbitrary();

    /// <summary>A non-empty array below 1 with one position to change.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<RaisedVelocity> RaisedVelocity()
        => VelocityGen.ArrayOf(VelocityGen.BelowOne, 200).Where(v => v.Length > 0)
            .SelectMany(v => Gen.Zip(Gen.Choose(0, v.Length - 1), VelocityGen.Unit), (v, t) => new RaisedVelocity(v, t.Item1, t.Item2))
            .ToArbitrary();

    /// <summary>An array and a shuffle of it.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<PermutedVelocities> PermutedVelocities()
        => VelocityGen.ArrayOf(VelocityGen.Unit, 300).SelectMany(v => Gen.Shuffle(v), (v, p) => new PermutedVelocities(v, p)).ToArbitrary();

    /// <summary>Columns of 0 to 200 inputs and weights on a 1/1000 grid that sum to 1.</summary>
    /// <returns>The arbitrary.</returns>
    public static Arbitrary<ImpactBatch> ImpactBatch()
    {
        var weights = Gen.Zip(Gen.Choose(0, 1000), Gen.Choose(0, 1000))
            .Select(t => (a: System.Math.Min(t.Item1, t.Item2) / 1000.0, b: System.Math.Max(t.Item1, t.Item2) / 1000.0))
            .Select(t => new ImpactWeights(t.a, t.b - t.a, 1 - t.b));
        var gen =
            from n in Gen.Choose(0, 200)
            from c in Gen.ArrayOf(VelocityGen.Unit, n)
            from s in Gen.ArrayOf(VelocityGen.Unit, n)
            from d in Gen.ArrayOf(VelocityGen.Unit, n)
            from w in weights
            select new ImpactBatch(c, s, d, w);
        return gen.ToArbitrary();
    }

    internal static string Format(double[] values) => "[" + string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
}
