using Cosmos.Core.Math;
using FsCheck.Xunit;

namespace Cosmos.Core.Tests.Math;

public class ImpactTests
{
    public static TheoryData<bool, bool> Kernels => new() { { true, true }, { false, true }, { false, false } };

    [Theory]
    [InlineData(0.0, 0.0, 0.0, 0.0)]
    [InlineData(1.0, 1.0, 1.0, 1.0)]
    [InlineData(1.0, 0.0, 0.0, 0.4)]
    [InlineData(0.0, 1.0, 0.0, 0.3)]
    [InlineData(0.0, 0.0, 1.0, 0.3)]
    [InlineData(0.5, 0.2, 0.1, 0.29)]
    public void Impact_DefaultWeights_IsWeightedSum(double changeRate, double scaleFactor, double dependencyWeight, double expected)
    {
        Assert.Equal(expected, VelocityMath.Impact(changeRate, scaleFactor, dependencyWeight), 15);
    }

    [Fact]
    public void Impact_CustomWeights_UsesThem()
    {
        var weights = new ImpactWeights(0.5, 0.25, 0.25);
        Assert.Equal(0.5 * 0.8 + 0.25 * 0.4 + 0.25 * 0.2, VelocityMath.Impact(0.8, 0.4, 0.2, weights), 15);
        Assert.Equal(1.0, VelocityMath.Impact(1, 0, 0, new ImpactWeights(1, 0, 0)));
    }

    [Fact]
    public void Impact_WeightsSummingAboveOneWithinTolerance_ClampedToOne()
    {
        var weights = new ImpactWeights(0.4 + 5e-10, 0.3, 0.3);
        Assert.Equal(1.0, VelocityMath.Impact(1, 1, 1, weights));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-0.001)]
    [InlineData(1.0000000000000002)]
    public void Impact_BadScalar_ThrowsNamingArgument(double bad)
    {
        Assert.Equal("changeRate", Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.Impact(bad, 0.5, 0.5)).ParamName);
        Assert.Equal("scaleFactor", Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.Impact(0.5, bad, 0.5)).ParamName);
        Assert.Equal("dependencyWeight", Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.Impact(0.5, 0.5, bad)).ParamName);
    }

    [Fact]
    public void Impact_DefaultWeightsStruct_Throws()
    {
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => VelocityMath.Impact(0.5, 0.5, 0.5, default)).ParamName);
        var a = new double[4];
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => VelocityMath.Impact(a, a, a, new double[4], default)).ParamName);
    }

    [Fact]
    public void Impact_NegativeZero_Accepted()
    {
        Assert.Equal(0.0, VelocityMath.Impact(-0.0, -0.0, -0.0));
        var z = new[] { -0.0f, -0.0f, -0.0f, 0.5f };
        var dst = new float[4];
        VelocityMath.Impact(z, z, z, dst);
        Assert.Equal(0.5f, dst[3]);
        Assert.Equal(0f, dst[0]);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void ImpactCore_NegativeZeroInEveryLane_AcceptedAsZero(bool useVector512, bool useVector)
    {
        // −0 has the sign bit set; the SIMD range check must still accept it.
        var z = Enumerable.Repeat(-0.0, 70).ToArray();
        var half = Enumerable.Repeat(0.5, 70).ToArray();
        var dst = new double[70];
        VelocityMath.ImpactCore(z, half, z, dst, ImpactWeights.Default, useVector512, useVector);
        Assert.All(dst, x => Assert.Equal(0.15, x, 15));
        var zf = Enumerable.Repeat(-0.0f, 70).ToArray();
        var dstf = new float[70];
        VelocityMath.ImpactCore(zf, zf, zf, dstf, ImpactWeights.Default, useVector512, useVector);
        Assert.All(dstf, x => Assert.Equal(0f, x));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void ImpactCore_EveryLengthTo70_EqualsScalarBitForBit(bool useVector512, bool useVector)
    {
        var random = new Random(3);
        var weights = new ImpactWeights(0.45, 0.35, 0.2);
        for (var length = 0; length <= 70; length++)
        {
            var c = RandomUnit(random, length);
            var s = RandomUnit(random, length);
            var d = RandomUnit(random, length);
            var dst = new double[length];
            VelocityMath.ImpactCore(c, s, d, dst, weights, useVector512, useVector);

            var cf = c.Select(x => (float)x).ToArray();
            var sf = s.Select(x => (float)x).ToArray();
            var df = d.Select(x => (float)x).ToArray();
            var dstf = new float[length];
            VelocityMath.ImpactCore(cf, sf, df, dstf, weights, useVector512, useVector);

            for (var i = 0; i < length; i++)
            {
                Assert.Equal(VelocityMath.Impact(c[i], s[i], d[i], weights), dst[i]);
                Assert.Equal(VelocityMath.ImpactScalar(cf[i], sf[i], df[i], 0.45f, 0.35f, 0.2f), dstf[i]);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(13)]
    public void Impact_LargeMisalignedSpans_StreamedResultsEqualScalar(int offset)
    {
        // Above 256 KB the 512-bit kernel aligns the destination and streams the results (non-temporal stores).
        const int length = 100_003;
        var random = new Random(offset);
        var c = RandomUnit(random, length + offset);
        var s = RandomUnit(random, length + offset);
        var d = RandomUnit(random, length + offset);
        var dst = new double[length + offset];
        VelocityMath.Impact(c.AsSpan(offset), s.AsSpan(offset), d.AsSpan(offset), dst.AsSpan(offset));
        var cf = c.Select(x => (float)x).ToArray();
        var dstf = new float[length + offset];
        VelocityMath.Impact(cf.AsSpan(offset), cf.AsSpan(offset), cf.AsSpan(offset), dstf.AsSpan(offset));
        for (var i = offset; i < length + offset; i++)
        {
            Assert.Equal(VelocityMath.Impact(c[i], s[i], d[i]), dst[i]);
            Assert.Equal(VelocityMath.ImpactScalar(cf[i], cf[i], cf[i], 0.4f, 0.3f, 0.3f), dstf[i]);
        }

        // In place over the same large span.
        VelocityMath.Impact(cf.AsSpan(offset), cf.AsSpan(offset), cf.AsSpan(offset), cf.AsSpan(offset));
        Assert.Equal(dstf.AsSpan(offset).ToArray(), cf.AsSpan(offset).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(50_000)]
    [InlineData(99_999)]
    public void Impact_LargeSpanWithBadElement_ReportsFirstIndex(int index)
    {
        var c = new float[100_001];
        Array.Fill(c, 0.5f);
        c[index] = float.NaN;
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.Impact(c.AsSpan(1), c.AsSpan(1), c.AsSpan(1), c.AsSpan(1)));
        Assert.Equal("changeRate", ex.ParamName);
        Assert.Contains($"changeRate[{index - 1}] is NaN", ex.Message, StringComparison.Ordinal);
    }

    [Property(Arbitrary = [typeof(VelocityArbitraries)], MaxTest = 300, Replay = VelocityArbitraries.Seed)]
    public bool Impact_RandomBatches_EqualScalarAndStayInUnitInterval(ImpactBatch input)
    {
        var (c, s, d, w) = input;
        var dst = new double[c.Length];
        VelocityMath.Impact(c, s, d, dst, w);
        var cf = c.Select(x => (float)x).ToArray();
        var sf = s.Select(x => (float)x).ToArray();
        var df = d.Select(x => (float)x).ToArray();
        var dstf = new float[c.Length];
        VelocityMath.Impact(cf, sf, df, dstf, w);
        for (var i = 0; i < c.Length; i++)
        {
            var scalar = VelocityMath.Impact(c[i], s[i], d[i], w);
            if (dst[i] != scalar || dst[i] is < 0 or > 1 || dstf[i] is < 0 or > 1)
            {
                return false;
            }

            // The float batch is the single-precision rendering of the same formula.
            if (System.Math.Abs(dstf[i] - VelocityMath.Impact(cf[i], sf[i], df[i], w)) > 1e-6)
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public void Impact_Empty_DoesNothing()
    {
        VelocityMath.Impact(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, Span<float>.Empty);
        VelocityMath.Impact(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty, Span<double>.Empty);
    }

    [Fact]
    public void Impact_LongerDestination_WritesOnlyInputLength()
    {
        var x = new[] { 1f, 1f, 1f };
        var dst = new[] { 7f, 7f, 7f, 7f };
        VelocityMath.Impact(x, x, x, dst);
        Assert.Equal(new[] { 1f, 1f, 1f, 7f }, dst);
    }

    [Fact]
    public void Impact_DifferentLengths_ThrowsNamingSpan()
    {
        var a = new float[5];
        var b = new float[4];
        Assert.Equal("scaleFactor", Assert.Throws<ArgumentException>(() => VelocityMath.Impact(a, b, a, new float[5])).ParamName);
        Assert.Equal("dependencyWeight", Assert.Throws<ArgumentException>(() => VelocityMath.Impact(a, a, b, new float[5])).ParamName);
        var ad = new double[5];
        Assert.Equal("scaleFactor", Assert.Throws<ArgumentException>(() => VelocityMath.Impact(ad, new double[6], ad, new double[5])).ParamName);
    }

    [Fact]
    public void Impact_DestinationTooShort_ThrowsNamingDestination()
    {
        var a = new float[5];
        var ex = Assert.Throws<ArgumentException>(() => VelocityMath.Impact(a, a, a, new float[4]));
        Assert.Equal("destination", ex.ParamName);
        var ad = new double[65];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => VelocityMath.Impact(ad, ad, ad, new double[64])).ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Impact_DestinationIsAnInput_ComputesInPlace(int aliased)
    {
        var random = new Random(5 + aliased);
        for (var length = 0; length <= 70; length += 7)
        {
            float[][] inputs = [RandomUnitSingle(random, length), RandomUnitSingle(random, length), RandomUnitSingle(random, length)];
            var expected = new float[length];
            VelocityMath.Impact(inputs[0], inputs[1], inputs[2], expected);

            VelocityMath.Impact(inputs[0], inputs[1], inputs[2], inputs[aliased]);
            Assert.Equal(expected, inputs[aliased]);
        }
    }

    [Fact]
    public void Impact_DestinationPartiallyOverlapsInput_Throws()
    {
        var buffer = new float[40];
        var input = buffer.AsSpan(0, 32).ToArray();
        var ex = Assert.Throws<ArgumentException>(() => VelocityMath.Impact(buffer.AsSpan(0, 32), input, input, buffer.AsSpan(1, 32)));
        Assert.Equal("destination", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => VelocityMath.Impact(input, input, buffer.AsSpan(2, 32), buffer.AsSpan(0, 32)));
        Assert.Equal("destination", ex.ParamName);
    }

    public static TheoryData<double> BadValues => new() { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.25, 1.5 };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Impact_BadElementAnywhere_ThrowsNamingSpanAndFirstIndex(double bad)
    {
        string[] names = ["changeRate", "scaleFactor", "dependencyWeight"];
        foreach (var (useVector512, useVector) in new[] { (true, true), (false, true), (false, false) })
        {
            for (var length = 1; length <= 70; length++)
            {
                for (var which = 0; which < 3; which++)
                {
                    foreach (var index in new[] { 0, length / 3, length - 1 }.Distinct())
                    {
                        double[][] d = [Filled(length, 0.5), Filled(length, 0.5), Filled(length, 0.5)];
                        d[which][index] = bad;
                        d[(which + 1) % 3][length - 1] = double.NaN; // a later or equal-index bad value in another span
                        var expectedName = index == length - 1 && (which + 1) % 3 < which ? names[(which + 1) % 3] : names[which];
                        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.ImpactCore(d[0], d[1], d[2], new double[length], ImpactWeights.Default, useVector512, useVector));
                        Assert.Equal(expectedName, ex.ParamName);
                        Assert.Contains($"{expectedName}[{index}]", ex.Message, StringComparison.Ordinal);

                        float[][] f = [.. d.Select(a => a.Select(x => (float)x).ToArray())];
                        var exf = Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.ImpactCore(f[0], f[1], f[2], new float[length], ImpactWeights.Default, useVector512, useVector));
                        Assert.Equal(expectedName, exf.ParamName);
                        Assert.Contains($"{expectedName}[{index}]", exf.Message, StringComparison.Ordinal);
                    }
                }
            }
        }
    }

    [Fact]
    public void Impact_BadElementWithDestinationAliasingInput_StillReportsIt()
    {
        var c = Filled(200, 0.5);
        c[150] = double.NaN;
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.Impact(c, Filled(200, 0.1), Filled(200, 0.1), c));
        Assert.Equal("changeRate", ex.ParamName);
        Assert.Contains("changeRate[150] is NaN", ex.Message, StringComparison.Ordinal);
        Assert.True(double.IsNaN(c[150]));
    }

    private static double[] Filled(int length, double value) => Enumerable.Repeat(value, length).ToArray();

    private static double[] RandomUnit(Random random, int length)
    {
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = random.Next(10) == 0 ? 1.0 : random.NextDouble();
        }

        return values;
    }

    private static float[] RandomUnitSingle(Random random, int length) => RandomUnit(random, length).Select(x => (float)x).ToArray();
}
