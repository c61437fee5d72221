using FsCheck;
using FsCheck.Fluent;

namespace Cosmos.Core.Tests.Math;

/// <summary>FsCheck generators of valid velocities.</summary>
internal static class VelocityGen
{
    /// <summary>A double in [0, 1] with any exponent: uniform, tiny (down to subnormal), near 1, or exactly 0.</summary>
    public static Gen<double> Unit { get; } = Gen.Frequency(
        (4, Uniform()),
        (3, AnyExponent()),
        (2, NearOne()),
        (1, Gen.Constant(0.0)));

    /// <summary>Like <see cref="Unit"/> but never exactly 1 (so that V is not trivially 1).</summary>
    public static Gen<double> BelowOne { get; } = Unit.Where(v => v < 1.0);

    /// <summary>Arrays of 0 to <paramref name="maxLength"/> values from <paramref name="element"/>.</summary>
    public static Gen<double[]> ArrayOf(Gen<double> element, int maxLength)
        => Gen.Choose(0, maxLength).SelectMany(n => Gen.ArrayOf(element, n));

    private static Gen<ulong> Bits(int count)
        => Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, int.MaxValue))
            .Select(t => (((ulong)(uint)t.Item1 << 31) | (uint)t.Item2) & ((1ul << count) - 1));

    private static Gen<double> Uniform() => Bits(53).Select(b => b / (double)(1ul << 53)).Select(v => v > 1 ? 1 : v);

    // Exponent chosen uniformly, so 1e-300 is as likely as 0.5: exercises tiny values and subnormals (biased 0).
    private static Gen<double> AnyExponent()
        => Gen.Zip(Gen.Choose(0, 1022), Bits(52))
            .Select(t => BitConverter.UInt64BitsToDouble(((ulong)t.Item1 << 52) | t.Item2));

    private static Gen<double> NearOne() => Gen.Choose(1, 53).Select(k => 1.0 - System.Math.ScaleB(1.0, -k));
}
