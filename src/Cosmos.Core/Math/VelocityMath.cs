using System.Globalization;
using System.Runtime.CompilerServices;

namespace Cosmos.Core.Math;

/// <summary>Impact and cumulative-velocity math of the seven-layer model, scalar and SIMD-vectorised over spans.</summary>
/// <remarks>
/// <para>Impact: <c>impact = α·changeRate + β·scaleFactor + γ·dependencyWeight</c>, with the default weights
/// α = 0.4, β = 0.3, γ = 0.3 (<see cref="ImpactWeights.Default"/>). Inputs are in [0, 1], so the impact is in [0, 1]; the
/// result is clamped to 1 to absorb the rounding of weights that sum to 1 only within 1e-9.</para>
/// <para>Cumulative velocity: <c>V = 1 − ∏(1 − vᵢ)</c>, the probability that at least one node escapes, computed with a
/// relative error ≤ 1e-12 for every valid input (see <see cref="CumulativeVelocity(ReadOnlySpan{double})"/>).</para>
/// <para>Every input must be a finite number in [0, 1]. NaN, ±∞ and values outside [0, 1] throw
/// <see cref="ArgumentOutOfRangeException"/> naming the argument and, for spans, the first bad index; nothing silently
/// produces a wrong number.</para>
/// </remarks>
public static partial class VelocityMath
{
    /// <summary>Computes <c>0.4·changeRate + 0.3·scaleFactor + 0.3·dependencyWeight</c>.</summary>
    /// <param name="changeRate">The change rate, in [0, 1].</param>
    /// <param name="scaleFactor">The scale factor, in [0, 1].</param>
    /// <param name="dependencyWeight">The dependency weight, in [0, 1].</param>
    /// <returns>The impact, in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An input is NaN, infinite or outside [0, 1].</exception>
    public static double Impact(double changeRate, double scaleFactor, double dependencyWeight)
        => Impact(changeRate, scaleFactor, dependencyWeight, ImpactWeights.Default);

    /// <summary>Computes <c>α·changeRate + β·scaleFactor + γ·dependencyWeight</c> with the given weights.</summary>
    /// <param name="changeRate">The change rate, in [0, 1].</param>
    /// <param name="scaleFactor">The scale factor, in [0, 1].</param>
    /// <param name="dependencyWeight">The dependency weight, in [0, 1].</param>
    /// <param name="weights">The weights α, β, γ.</param>
    /// <returns>The impact, in [0, 1]: <c>min(1, fma(γ, dependencyWeight, fma(β, scaleFactor, α·changeRate)))</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An input is NaN, infinite or outside [0, 1].</exception>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is <c>default(ImpactWeights)</c>.</exception>
    public static double Impact(double changeRate, double scaleFactor, double dependencyWeight, ImpactWeights weights)
    {
        ThrowIfNotUnit(changeRate);
        ThrowIfNotUnit(scaleFactor);
        ThrowIfNotUnit(dependencyWeight);
        ImpactWeights.ThrowIfDefault(weights, nameof(weights));
        return ImpactScalar(changeRate, scaleFactor, dependencyWeight, weights.ChangeRate, weights.ScaleFactor, weights.DependencyWeight);
    }

    // The one definition of the impact formula for doubles; the SIMD kernels use the same operations in the same order,
    // so batch and scalar results are bit-for-bit equal.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ImpactScalar(double c, double s, double d, double wc, double ws, double wd)
        => System.Math.Min(System.Math.FusedMultiplyAdd(wd, d, System.Math.FusedMultiplyAdd(ws, s, wc * c)), 1.0);

    // The float twin of ImpactScalar: computed in single precision with weights rounded to float.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float ImpactScalar(float c, float s, float d, float wc, float ws, float wd)
        => MathF.Min(MathF.FusedMultiplyAdd(wd, d, MathF.FusedMultiplyAdd(ws, s, wc * c)), 1f);

    internal static bool IsUnit(double value) => value >= 0 && value <= 1;

    private static void ThrowIfNotUnit(double value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if (!IsUnit(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, "The value must be a finite number in [0, 1].");
        }
    }

    private static void ThrowBadElement(string paramName, int index, double value)
        => throw new ArgumentOutOfRangeException(
            paramName,
            value,
            string.Create(CultureInfo.InvariantCulture, $"{paramName}[{index}] is {Describe(value)}; every element must be a finite number in [0, 1] (first bad index: {index})."));

    private static string Describe(double value)
        => double.IsNaN(value) ? "NaN" : double.IsInfinity(value) ? (value > 0 ? "+∞" : "−∞") : value.ToString("R", CultureInfo.InvariantCulture);
}
