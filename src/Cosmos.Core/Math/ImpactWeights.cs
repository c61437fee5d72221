namespace Cosmos.Core.Math;

/// <summary>The weights α, β, γ of <c>impact = α·changeRate + β·scaleFactor + γ·dependencyWeight</c>.</summary>
/// <remarks>
/// Each weight is finite and ≥ 0, and the three sum to 1 within 1e-9, so an impact of inputs in [0, 1] stays in [0, 1].
/// The constructor enforces this; <c>default(ImpactWeights)</c> (all zero) is not valid and is rejected where weights are used.
/// </remarks>
public readonly record struct ImpactWeights
{
    /// <summary>How far the three weights may sum away from 1.</summary>
    public const double SumTolerance = 1e-9;

    /// <summary>Creates validated weights.</summary>
    /// <param name="changeRate">α, the weight of the change rate.</param>
    /// <param name="scaleFactor">β, the weight of the scale factor.</param>
    /// <param name="dependencyWeight">γ, the weight of the dependency weight.</param>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException">The weights do not sum to 1 within <see cref="SumTolerance"/>.</exception>
    public ImpactWeights(double changeRate, double scaleFactor, double dependencyWeight)
    {
        ThrowIfInvalidWeight(changeRate);
        ThrowIfInvalidWeight(scaleFactor);
        ThrowIfInvalidWeight(dependencyWeight);
        if (!SumsToOne(changeRate, scaleFactor, dependencyWeight))
        {
            throw new ArgumentException(
                $"Impact weights must sum to 1 (±{SumTolerance:R}); got {changeRate:R} + {scaleFactor:R} + {dependencyWeight:R} = {changeRate + scaleFactor + dependencyWeight:R}.",
                nameof(dependencyWeight));
        }

        ChangeRate = changeRate;
        ScaleFactor = scaleFactor;
        DependencyWeight = dependencyWeight;
    }

    /// <summary>Gets the SPEC defaults: α = 0.4, β = 0.3, γ = 0.3.</summary>
    public static ImpactWeights Default { get; } = new(0.4, 0.3, 0.3);

    /// <summary>Gets α, the weight of the change rate.</summary>
    public double ChangeRate { get; }

    /// <summary>Gets β, the weight of the scale factor.</summary>
    public double ScaleFactor { get; }

    /// <summary>Gets γ, the weight of the dependency weight.</summary>
    public double DependencyWeight { get; }

    /// <summary>Deconstructs the weights into α, β and γ.</summary>
    /// <param name="changeRate">α, the weight of the change rate.</param>
    /// <param name="scaleFactor">β, the weight of the scale factor.</param>
    /// <param name="dependencyWeight">γ, the weight of the dependency weight.</param>
    public void Deconstruct(out double changeRate, out double scaleFactor, out double dependencyWeight)
    {
        changeRate = ChangeRate;
        scaleFactor = ScaleFactor;
        dependencyWeight = DependencyWeight;
    }

    /// <summary>True when the weights were built by the constructor (not <c>default</c>).</summary>
    internal bool IsValid => SumsToOne(ChangeRate, ScaleFactor, DependencyWeight);

    internal static bool IsValidWeight(double weight) => double.IsFinite(weight) && weight >= 0;

    internal static bool SumsToOne(double a, double b, double c) => System.Math.Abs(a + b + c - 1.0) <= SumTolerance;

    /// <summary>Throws when <paramref name="weights"/> is <c>default</c>, the only way to get invalid weights.</summary>
    internal static void ThrowIfDefault(in ImpactWeights weights, string paramName)
    {
        if (!weights.IsValid)
        {
            throw new ArgumentException("Impact weights must be created with the ImpactWeights constructor (default(ImpactWeights) sums to 0, not 1).", paramName);
        }
    }

    private static void ThrowIfInvalidWeight(double weight, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(weight))] string? paramName = null)
    {
        if (!IsValidWeight(weight))
        {
            throw new ArgumentOutOfRangeException(paramName, weight, "An impact weight must be finite and ≥ 0.");
        }
    }
}
