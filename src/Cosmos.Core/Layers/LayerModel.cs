using System.Collections.ObjectModel;
using System.Globalization;
using Cosmos.Core.Math;

namespace Cosmos.Core.Layers;

/// <summary>The immutable seven-layer model: each layer's profile and escape velocity, the warning ratio and the impact weights.</summary>
/// <remarks>
/// Classification of an impact <c>i</c> on a layer with escape velocity <c>e</c>:
/// <c>i ≥ e</c> → <see cref="ImpactLevel.Local"/>; <c>i ≥ WarningRatio × e</c> → <see cref="ImpactLevel.Warning"/>;
/// otherwise <see cref="ImpactLevel.Normal"/>. Resolve the model from DI (registered by <c>AddCosmosCore</c>) or use
/// <see cref="Default"/> / <see cref="Create"/>.
/// </remarks>
public sealed class LayerModel
{
    /// <summary>The default warning ratio, 0.8.</summary>
    public const double DefaultWarningRatio = 0.8;

    private static readonly (string Name, double EscapeVelocity, string Responsibility, string IsolationStrategy, string RecoveryMechanism)[] Defaults =
    [
        ("Quantum", 0.12, "Tolerate quantum fluctuation (noise)", "Noise filtering", "Automatic retry"),
        ("Atomic", 0.20, "Atomic interactions (variables)", "Variable isolation", "Data normalisation"),
        ("Molecular", 0.26, "Molecular bonds (functions)", "Function isolation", "Algorithm substitution (fallback)"),
        ("Compound", 0.30, "Compound structures (modules)", "Module isolation", "Interface redefinition"),
        ("Organic", 0.33, "Organic connections (components)", "Component isolation", "Dependency reconfiguration"),
        ("Ecosystem", 0.35, "Ecosystem balance (services)", "Service isolation", "Load balancing"),
        ("Cosmos", 0.38, "Whole-system harmony", "Global circuit breaker", "System restart"),
    ];

    private readonly LayerProfile[] _profiles;

    private LayerModel(LayerProfile[] profiles, double warningRatio, ImpactWeights weights)
    {
        _profiles = profiles;
        Layers = new ReadOnlyCollection<LayerProfile>(profiles);
        WarningRatio = warningRatio;
        Weights = weights;
    }

    /// <summary>Gets the model with SPEC's defaults (escape velocities 0.12 … 0.38, warning ratio 0.8, weights 0.4/0.3/0.3).</summary>
    public static LayerModel Default { get; } = Create(new LayerOptions());

    /// <summary>Gets the seven layer profiles, ordered from <see cref="CosmicLayer.Quantum"/> (L1) to <see cref="CosmicLayer.Cosmos"/> (L7).</summary>
    public IReadOnlyList<LayerProfile> Layers { get; }

    /// <summary>Gets the fraction of a layer's escape velocity at which an impact becomes a <see cref="ImpactLevel.Warning"/>.</summary>
    public double WarningRatio { get; }

    /// <summary>Gets the impact weights α, β, γ.</summary>
    public ImpactWeights Weights { get; }

    /// <summary>Builds a model from options, validating them as the host does at start.</summary>
    /// <param name="options">The options carrying escape velocities, warning ratio and impact weights.</param>
    /// <returns>A new immutable model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static LayerModel Create(LayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var annotations = new LayerOptionsValidator().Validate(nameof(LayerOptions), options);
        if (annotations.Failed)
        {
            failures.AddRange(annotations.Failures);
        }

        LayerOptionsRules.Check(options, nameof(LayerOptions), failures);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        var profiles = new LayerProfile[Defaults.Length];
        for (var i = 0; i < profiles.Length; i++)
        {
            var layer = (CosmicLayer)(i + 1);
            var d = Defaults[i];
            profiles[i] = new LayerProfile(layer, d.Name, EscapeVelocityOf(options, layer), d.Responsibility, d.IsolationStrategy, d.RecoveryMechanism);
        }

        var weights = new ImpactWeights(options.ImpactChangeRateWeight, options.ImpactScaleFactorWeight, options.ImpactDependencyWeight);
        return new LayerModel(profiles, options.WarningRatio, weights);
    }

    /// <summary>Gets the profile of a layer.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>The layer's profile.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not one of the seven layers.</exception>
    public LayerProfile GetProfile(CosmicLayer layer) => _profiles[IndexOf(layer)];

    /// <summary>Gets the escape velocity (isolation threshold) of a layer.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>The threshold in (0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not one of the seven layers.</exception>
    public double GetEscapeVelocity(CosmicLayer layer) => _profiles[IndexOf(layer)].EscapeVelocity;

    /// <summary>Gets the warning threshold of a layer: <c>WarningRatio × EscapeVelocity</c>.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>The impact at which the layer enters <see cref="ImpactLevel.Warning"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not one of the seven layers.</exception>
    public double GetWarningThreshold(CosmicLayer layer) => WarningRatio * GetEscapeVelocity(layer);

    /// <summary>Classifies an impact on a layer.</summary>
    /// <param name="layer">The layer the impacted component sits on.</param>
    /// <param name="impact">The impact, ≥ 0 (values above 1 are accepted and classify as <see cref="ImpactLevel.Local"/>).</param>
    /// <returns>
    /// <see cref="ImpactLevel.Local"/> when <c>impact ≥ EscapeVelocity</c>; <see cref="ImpactLevel.Warning"/> when
    /// <c>impact ≥ WarningRatio × EscapeVelocity</c>; otherwise <see cref="ImpactLevel.Normal"/>.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not one of the seven layers, or <paramref name="impact"/> is NaN or negative.</exception>
    public ImpactLevel Classify(CosmicLayer layer, double impact)
    {
        var threshold = GetEscapeVelocity(layer);
        if (double.IsNaN(impact) || impact < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(impact), impact, "An impact must be a number ≥ 0.");
        }

        if (impact >= threshold)
        {
            return ImpactLevel.Local;
        }

        return impact >= WarningRatio * threshold ? ImpactLevel.Warning : ImpactLevel.Normal;
    }

    /// <summary>Computes an impact with this model's <see cref="Weights"/>: <c>α·changeRate + β·scaleFactor + γ·dependencyWeight</c>.</summary>
    /// <param name="changeRate">The change rate, in [0, 1].</param>
    /// <param name="scaleFactor">The scale factor, in [0, 1].</param>
    /// <param name="dependencyWeight">The dependency weight, in [0, 1].</param>
    /// <returns>The impact, in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An input is NaN, infinite or outside [0, 1].</exception>
    public double Impact(double changeRate, double scaleFactor, double dependencyWeight)
        => VelocityMath.Impact(changeRate, scaleFactor, dependencyWeight, Weights);

    /// <summary>Gets the layer directly above <paramref name="layer"/>, or <see langword="null"/> for <see cref="CosmicLayer.Cosmos"/>.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>The next layer up (L1 → L2 … L6 → L7), or <see langword="null"/> at L7.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not one of the seven layers.</exception>
    public static CosmicLayer? NextLayerUp(CosmicLayer layer)
    {
        _ = IndexOf(layer);
        return layer == CosmicLayer.Cosmos ? null : layer + 1;
    }

    /// <summary>Returns whether <paramref name="layer"/> is one of the seven defined layers.</summary>
    /// <param name="layer">The value to check.</param>
    /// <returns><see langword="true"/> for 1 … 7.</returns>
    public static bool IsDefined(CosmicLayer layer) => layer is >= CosmicLayer.Quantum and <= CosmicLayer.Cosmos;

    internal static Dictionary<CosmicLayer, double> CreateDefaultEscapeVelocities()
    {
        var velocities = new Dictionary<CosmicLayer, double>(Defaults.Length);
        for (var i = 0; i < Defaults.Length; i++)
        {
            velocities[(CosmicLayer)(i + 1)] = Defaults[i].EscapeVelocity;
        }

        return velocities;
    }

    internal static double DefaultEscapeVelocity(CosmicLayer layer) => Defaults[IndexOf(layer)].EscapeVelocity;

    internal static double EscapeVelocityOf(LayerOptions options, CosmicLayer layer)
        => options.EscapeVelocities.TryGetValue(layer, out var value) ? value : DefaultEscapeVelocity(layer);

    private static int IndexOf(CosmicLayer layer)
    {
        if (!IsDefined(layer))
        {
            throw new ArgumentOutOfRangeException(
                nameof(layer),
                layer,
                string.Create(CultureInfo.InvariantCulture, $"A layer must be one of the seven layers, Quantum (1) to Cosmos (7); got {(int)layer}."));
        }

        return (int)layer - 1;
    }
}
