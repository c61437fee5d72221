using System.Numerics;

namespace Cosmos.Core.Tests.Math;

/// <summary>Reference values of the velocity math computed with big integers, independent of the code under test.</summary>
internal static class ExactReference
{
    // Fixed-point scale: P is carried as floor-ish(P · 2^Scale). Every double in [0, 1] is m·2^e with e ≥ −1126, so each
    // step P ← P − P·m·2^e is exact except for one truncation of less than 2^-Scale; after n steps P is within
    // n·2^-Scale of the exact product. A non-zero V is ≥ its largest input ≥ 2^-1074, so for n ≤ 2^30 the relative
    // error of V is below 2^(30 − 1400 + 1074) = 2^-296: exact for any comparison against doubles.
    private const int Scale = 1400;

    /// <summary>Returns V = 1 − ∏(1 − vᵢ) for doubles in [0, 1], correct to far beyond double precision.</summary>
    public static double CumulativeVelocity(ReadOnlySpan<double> velocities)
    {
        var one = BigInteger.One << Scale;
        var p = one;
        foreach (var v in velocities)
        {
            if (v == 1.0)
            {
                return 1.0;
            }

            var (m, e) = Decompose(v);
            if (m.IsZero)
            {
                continue;
            }

            p -= (p * m) >> -e;
        }

        return ToDouble(one - p, Scale);
    }

    /// <summary>Returns V = 1 − (1 − v)^n through the binomial series Σₖ (−1)^(k+1)·C(n, k)·v^k, for n·v &lt; 1.</summary>
    /// <remarks>
    /// With n·v &lt; 1 the terms decrease, so the alternating series stops (within one fixed-point unit) once a term is
    /// 0 at 2^-Scale, and each term's truncation costs at most one unit: as exact as <see cref="CumulativeVelocity(ReadOnlySpan{double})"/>
    /// but in microseconds for n = 10^6.
    /// </remarks>
    public static double CumulativeVelocityOfRepeated(double v, int n)
    {
        if (n * v >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(v), "The series is used only where n·v < 1.");
        }

        var (m, e) = Decompose(v);
        var term = (new BigInteger(n) * m << Scale) >> -e; // C(n,1)·v
        var sum = BigInteger.Zero;
        for (var k = 1; !term.IsZero && k <= n; k++)
        {
            sum += (k & 1) == 1 ? term : -term;
            term = ((term * (n - k) * m) >> -e) / (k + 1); // C(n,k+1)·v^(k+1) = C(n,k)·v^k·(n−k)·v/(k+1)
        }

        return ToDouble(sum, Scale);
    }

    /// <summary>Returns V = 1 − ∏(1 − vᵢ) for the exact values of the floats.</summary>
    public static double CumulativeVelocity(ReadOnlySpan<float> velocities)
    {
        var widened = new double[velocities.Length];
        for (var i = 0; i < widened.Length; i++)
        {
            widened[i] = velocities[i];
        }

        return CumulativeVelocity(widened);
    }

    /// <summary>Returns V = 1 − ∏(1 − vᵢ) as an exact fraction (numerator, denominator); for small inputs only.</summary>
    public static (BigInteger Numerator, BigInteger Denominator) CumulativeVelocityFraction(ReadOnlySpan<double> velocities)
    {
        BigInteger num = BigInteger.One, den = BigInteger.One;
        foreach (var v in velocities)
        {
            var (m, e) = Decompose(v);
            var d = BigInteger.One << -e;
            num *= d - m;
            den *= d;
        }

        return (den - num, den);
    }

    /// <summary>Rounds a positive fraction to a double (correct to about 2^-63 relative before the final rounding).</summary>
    public static double ToDouble(BigInteger numerator, BigInteger denominator)
    {
        if (numerator.IsZero)
        {
            return 0;
        }

        var shift = (int)(denominator.GetBitLength() - numerator.GetBitLength()) + 70;
        var q = shift >= 0 ? (numerator << shift) / denominator : numerator / (denominator << -shift);
        return ToDouble(q, shift);
    }

    /// <summary>Returns <paramref name="value"/> · 2^-<paramref name="scale"/> rounded to a double.</summary>
    public static double ToDouble(BigInteger value, int scale)
    {
        if (value.IsZero)
        {
            return 0;
        }

        var extra = (int)value.GetBitLength() - 64;
        var top = extra > 0 ? value >> extra : value << -extra;
        return System.Math.ScaleB((double)(ulong)top, extra - scale);
    }

    /// <summary>Splits a non-negative finite double into m·2^e exactly (e ≤ 0 for values below 2^53).</summary>
    public static (BigInteger Mantissa, int Exponent) Decompose(double v)
    {
        var bits = BitConverter.DoubleToUInt64Bits(v) & 0x7FFF_FFFF_FFFF_FFFFul;
        var biased = (int)(bits >> 52);
        var fraction = (long)(bits & 0xF_FFFF_FFFF_FFFFul);
        return biased == 0 ? (fraction, -1074) : (fraction | (1L << 52), biased - 1075);
    }

    /// <summary>|actual − expected| / expected, or |actual| when expected is 0.</summary>
    public static double RelativeError(double actual, double expected)
        => expected == 0 ? System.Math.Abs(actual) : System.Math.Abs(actual - expected) / expected;
}
