using Cosmos.Core.Math;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cosmos.Core.Tests.Math;

public class CumulativeVelocityTests
{
    private const double Tolerance = 1e-12;

    // (use Vector512, use Vector<T>): every kernel the dispatcher can pick on this machine, plus the scalar fallback.
    public static TheoryData<bool, bool> Kernels => new() { { true, true }, { false, true }, { false, false } };

    [Fact]
    public void CumulativeVelocity_Empty_IsZero()
    {
        Assert.Equal(0.0, VelocityMath.CumulativeVelocity(ReadOnlySpan<double>.Empty));
        Assert.Equal(0.0, VelocityMath.CumulativeVelocity(ReadOnlySpan<float>.Empty));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(1e-300)]
    [InlineData(double.Epsilon)]
    [InlineData(0.9999999999999999)]
    public void CumulativeVelocity_SingleValue_IsThatValue(double v)
    {
        Assert.Equal(v, VelocityMath.CumulativeVelocity([v]));
    }

    [Fact]
    public void CumulativeVelocity_TwoValues_MatchesInclusionExclusion()
    {
        // 1 − (1 − 0.5)(1 − 0.25) = 0.625, exactly representable.
        Assert.Equal(0.625, VelocityMath.CumulativeVelocity([0.5, 0.25]));
        Assert.Equal(0.625, VelocityMath.CumulativeVelocity([0.5f, 0.25f]));
    }

    [Fact]
    public void CumulativeVelocity_NegativeZero_TreatedAsZero()
    {
        Assert.Equal(0.0, VelocityMath.CumulativeVelocity([-0.0, -0.0]));
        Assert.Equal(0.5, VelocityMath.CumulativeVelocity([-0.0, 0.5, -0.0]));
        foreach (var (useVector512, useVector) in new[] { (true, true), (false, true), (false, false) })
        {
            // Long enough for every SIMD lane to see −0.
            var v = Enumerable.Repeat(-0.0, 100).ToArray();
            v[42] = 0.5;
            Assert.Equal(0.5, VelocityMath.CumulativeVelocityCore(v, useVector512, useVector));
            Assert.Equal(0.5, VelocityMath.CumulativeVelocityCore(v.Select(x => (float)x).ToArray(), useVector512, useVector));
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(70, 0)]
    [InlineData(70, 69)]
    [InlineData(70, 33)]
    [InlineData(10_000, 4_097)]
    [InlineData(10_000, 9_999)]
    public void CumulativeVelocity_AnyValueIsOne_IsExactlyOne(int length, int position)
    {
        var random = new Random(length * 31 + position);
        var v = new double[length];
        for (var i = 0; i < length; i++)
        {
            v[i] = random.NextDouble() * 1e-9;
        }

        v[position] = 1.0;
        Assert.Equal(1.0, VelocityMath.CumulativeVelocity(v));
        Assert.Equal(1.0, VelocityMath.CumulativeVelocity(v.Select(x => (float)x).ToArray()));
    }

    [Fact]
    public void CumulativeVelocity_MillionTinyValues_WithinToleranceWhereNaiveProductFails()
    {
        var v = new double[1_000_000];
        Array.Fill(v, 1e-12);

        var expected = ExactReference.CumulativeVelocityOfRepeated(1e-12, v.Length);
        var actual = VelocityMath.CumulativeVelocity(v);

        var naiveProduct = 1.0;
        foreach (var x in v)
        {
            naiveProduct *= 1 - x;
        }

        Assert.InRange(expected, 9.99999e-7, 1.000001e-6);
        Assert.True(ExactReference.RelativeError(actual, expected) <= Tolerance, $"actual {actual:R}, expected {expected:R}");
        // The reason this method exists: the naive product is wrong in the fifth digit.
        Assert.True(ExactReference.RelativeError(1 - naiveProduct, expected) > 1e-6);
    }

    [Fact]
    public void CumulativeVelocity_MillionTinyFloats_WithinTolerance()
    {
        var v = new float[1_000_000];
        Array.Fill(v, 1e-12f);
        var expected = ExactReference.CumulativeVelocityOfRepeated(1e-12f, v.Length);
        var actual = VelocityMath.CumulativeVelocity(v);
        Assert.True(ExactReference.RelativeError(actual, expected) <= Tolerance, $"actual {actual:R}, expected {expected:R}");
    }

    [Fact]
    public void CumulativeVelocity_ValuesNearOne_WithinTolerance()
    {
        var random = new Random(7);
        var v = new double[50_000];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = 1 - System.Math.ScaleB(1.0, -random.Next(1, 54));
        }

        // Also check the product does not silently underflow to a wrong non-one value.
        var expected = ExactReference.CumulativeVelocity(v);
        Assert.True(ExactReference.RelativeError(VelocityMath.CumulativeVelocity(v), expected) <= Tolerance);
    }

    [Fact]
    public void CumulativeVelocity_AllSubnormal_IsExactSum()
    {
        var v = new double[10_000];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = double.Epsilon * (i % 17);
        }

        var expected = ExactReference.CumulativeVelocity(v);
        Assert.Equal(expected, VelocityMath.CumulativeVelocity(v));
        Assert.Equal(double.Epsilon * v.Sum(x => (long)(x / double.Epsilon)), expected);
    }

    [Fact]
    public void CumulativeVelocity_LargeMixture_WithinTolerance()
    {
        // 2^17 values drawn from every magnitude (uniform, tiny, subnormal, near 1), beyond many blocks.
        var v = VelocityGen.BelowOne.Sample(1 << 17, new Rnd(42UL), 1);
        Assert.Equal(1 << 17, v.Length);
        // Keep the exact answer away from 1 so the comparison is meaningful: scale the large values down.
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = v[i] > 1e-6 ? v[i] * 1e-7 : v[i];
        }

        var expected = ExactReference.CumulativeVelocity(v);
        Assert.InRange(expected, 1e-6, 0.999);
        Assert.True(ExactReference.RelativeError(VelocityMath.CumulativeVelocity(v), expected) <= Tolerance);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void CumulativeVelocityCore_EveryLengthTo70AndAcrossBlocks_WithinToleranceOfExact(bool useVector512, bool useVector)
    {
        var random = new Random(11);
        int[] lengths = [.. Enumerable.Range(0, 71), 127, 128, 129, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097, 8191, 8192, 8193, 20_000];
        foreach (var length in lengths)
        {
            var v = new double[length];
            for (var i = 0; i < length; i++)
            {
                // A mix of scales so that each lane and the tail carry weight.
                v[i] = random.NextDouble() * System.Math.Pow(10, -random.Next(0, 12));
            }

            var expected = ExactReference.CumulativeVelocity(v);
            var actual = VelocityMath.CumulativeVelocityCore(v, useVector512, useVector);
            Assert.True(ExactReference.RelativeError(actual, expected) <= Tolerance, $"length {length}: actual {actual:R}, expected {expected:R}");

            var floats = v.Select(x => (float)x).ToArray();
            var actualSingle = VelocityMath.CumulativeVelocityCore(floats, useVector512, useVector);
            Assert.True(ExactReference.RelativeError(actualSingle, ExactReference.CumulativeVelocity(floats)) <= Tolerance, $"float length {length}");
        }
    }

    [Theory]
    [InlineData(1e-12, 20_000)]
    [InlineData(3e-9, 5_000)]
    [InlineData(double.Epsilon, 1_000)]
    public void CumulativeVelocity_RepeatedValueSeries_AgreesWithProductReference(double v, int n)
    {
        // Cross-checks the two references against each other.
        var values = Enumerable.Repeat(v, n).ToArray();
        Assert.True(ExactReference.RelativeError(ExactReference.CumulativeVelocityOfRepeated(v, n), ExactReference.CumulativeVelocity(values)) <= 1e-15);
    }

    [Property(Arbitrary = [typeof(VelocityArbitraries)], MaxTest = 100, Replay = VelocityArbitraries.Seed)]
    public bool CumulativeVelocity_ExactReference_AgreesWithExactFraction(SmallVelocities input)
    {
        var v = input.Values;
        var (num, den) = ExactReference.CumulativeVelocityFraction(v);
        var fraction = ExactReference.ToDouble(num, den);
        return ExactReference.RelativeError(ExactReference.CumulativeVelocity(v), fraction) <= 1e-15;
    }

    [Property(Arbitrary = [typeof(VelocityArbitraries)], MaxTest = 300, Replay = VelocityArbitraries.Seed)]
    public bool CumulativeVelocity_RandomInputs_WithinToleranceOfExact(Velocities input)
    {
        var v = input.Values;
        var expected = ExactReference.CumulativeVelocity(v);
        return ExactReference.RelativeError(VelocityMath.CumulativeVelocity(v), expected) <= Tolerance;
    }

    [Property(Arbitrary = [typeof(VelocityArbitraries)], MaxTest = 200, Replay = VelocityArbitraries.Seed)]
    public bool CumulativeVelocity_RandomFloats_WithinToleranceOfExact(Velocities input)
    {
        var v = input.Values;
        var floats = v.Select(x => (float)x).ToArray();
        var expected = ExactReference.CumulativeVelocity(floats);
        return ExactReference.RelativeError(VelocityMath.CumulativeVelocity(floats), expected) <= Tolerance;
    }

    [Property(Arbitrary = [typeof(VelocityArbitraries)], MaxTest = 300, Replay = VelocityArbitraries.Seed)]
    public bool CumulativeVelocity_RandomInputs_AtLeastLargestVelocityAndAtMostOne(Velocities input)
    {
        var v = input.Values;
        var result = VelocityMath.CumulativeVelocity(v);
        return result <= 1.0 && (v.Length == 0 ? result == 0 : result >= v.Max());
    }

    [Property(Arbitrary = [typeof(VelocityArbitraries)], MaxTest = 300, Replay = VelocityArbitraries.Seed)]
    public bool CumulativeVelocity_RaisingOneVelocity_DoesNotLowerResult(RaisedVelocity input)
    {
        var (v, index, other) = input;
        var low = v.ToArray();
        var high = v.ToArray();
        low[index] = System.Math.Min(v[index], other);
        high[index] = System.Math.Max(v[index], other);
        // Monotone up to the rounding allowed by the accuracy contract.
        return VelocityMath.CumulativeVelocity(high) >= VelocityMath.CumulativeVelocity(low) * (1 - (2 * Tolerance));
    }

    [Property(Arbitrary = [typeof(VelocityArbitraries)], MaxTest = 300, Replay = VelocityArbitraries.Seed)]
    public bool CumulativeVelocity_Permuted_SameWithinTolerance(PermutedVelocities input)
    {
        var a = VelocityMath.CumulativeVelocity(input.Values);
        var b = VelocityMath.CumulativeVelocity(input.Permuted);
        return ExactReference.RelativeError(b, a) <= 2 * Tolerance;
    }

    public static TheoryData<double> BadValues => new() { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1e-300, -0.5, 1.0000000000000002, 2.0 };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void CumulativeVelocity_BadValueAtAnyIndex_ThrowsNamingArgumentAndFirstIndex(double bad)
    {
        int[] lengths = [.. Enumerable.Range(1, 70), 5_000];
        foreach (var length in lengths)
        {
            foreach (var index in new[] { 0, length / 2, length - 1 }.Distinct())
            {
                var v = Enumerable.Repeat(0.25, length).ToArray();
                v[index] = bad;
                if (index + 1 < length)
                {
                    v[^1] = double.NaN; // a later bad value must not be the one reported
                }

                var ex = Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.CumulativeVelocity(v));
                Assert.Equal("velocities", ex.ParamName);
                Assert.Contains($"velocities[{index}]", ex.Message, StringComparison.Ordinal);

                var floats = v.Select(x => (float)x).ToArray();
                if (floats[index] is >= 0f and <= 1f)
                {
                    continue; // the bad double rounds to a valid float (−1e-300 → −0, 1 + 2^-52 → 1)
                }

                var exSingle = Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.CumulativeVelocity(floats));
                Assert.Equal("velocities", exSingle.ParamName);
                Assert.Contains($"velocities[{index}]", exSingle.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void CumulativeVelocity_BadValueAfterAOne_StillThrows()
    {
        var v = new[] { 0.1, 1.0, 0.2, double.NaN };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.CumulativeVelocity(v));
        Assert.Contains("velocities[3]", ex.Message, StringComparison.Ordinal);
    }
}
