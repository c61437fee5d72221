using System.ComponentModel.DataAnnotations;
using Cosmos.Core.Math;

namespace Cosmos.Core.Layers;

/// <summary>Settings of the seven-layer model: escape velocities, warning ratio and impact weights.</summary>
/// <remarks>Build a model from them with <see cref="LayerModel.Create"/>; <c>AddCosmosCore</c> validates them when the host starts.</remarks>
public sealed class LayerOptions
{
    /// <summary>Gets the escape velocity (isolation threshold) of each layer.</summary>
    /// <value>
    /// Pre-filled with the defaults L1 0.12, L2 0.20, L3 0.26, L4 0.30, L5 0.33, L6 0.35, L7 0.38; a layer removed from the
    /// dictionary keeps its default. Each value must be finite, in (0, 1] and not lower than the layer below.
    /// Binds from configuration as <c>Layers:EscapeVelocities:Atomic = 0.25</c>.
    /// </value>
    public IDictionary<CosmicLayer, double> EscapeVelocities { get; } = LayerModel.CreateDefaultEscapeVelocities();

    /// <summary>Gets or sets the fraction of the escape velocity at which an impact is a <see cref="ImpactLevel.Warning"/>.</summary>
    /// <value>The default value is 0.8. Must be in the open interval (0, 1).</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double WarningRatio { get; set; } = LayerModel.DefaultWarningRatio;

    /// <summary>Gets or sets α, the impact weight of the change rate.</summary>
    /// <value>The default value is 0.4. The three impact weights must be finite, ≥ 0 and sum to 1 (see <see cref="ImpactWeights"/>).</value>
    [Range(0.0, double.MaxValue)]
    public double ImpactChangeRateWeight { get; set; } = 0.4;

    /// <summary>Gets or sets β, the impact weight of the scale factor.</summary>
    /// <value>The default value is 0.3. The three impact weights must be finite, ≥ 0 and sum to 1.</value>
    [Range(0.0, double.MaxValue)]
    public double ImpactScaleFactorWeight { get; set; } = 0.3;

    /// <summary>Gets or sets γ, the impact weight of the dependency weight.</summary>
    /// <value>The default value is 0.3. The three impact weights must be finite, ≥ 0 and sum to 1.</value>
    [Range(0.0, double.MaxValue)]
    public double ImpactDependencyWeight { get; set; } = 0.3;
}
