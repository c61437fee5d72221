using System.ComponentModel.DataAnnotations;

namespace Cosmos.Core.Graph;

/// <summary>Settings for <see cref="ImpactPropagator"/>: linear decay per hop, fan-out splitting and the hop bound.</summary>
/// <remarks>
/// A node first reached at hop <c>h</c> receives <c>carried · max(0, 1 − h·HopDecay)</c>, where <c>carried</c> is the
/// largest value <c>carried(u) · split(u)</c> over its dependencies <c>u</c> reached at hop <c>h − 1</c>, with
/// <c>split(u) = 1 / fanOut(u)</c> when <see cref="SplitAcrossDependents"/> is set and 1 otherwise, and
/// <c>carried(source) = impact(source)</c>.
/// </remarks>
public sealed class PropagationOptions
{
    /// <summary>Gets or sets the linear decay per hop (sequential propagation): at hop <c>h</c> impact is multiplied by <c>max(0, 1 − h·HopDecay)</c>.</summary>
    /// <value>The default value is 0.1 (a chain A → B → C gives 1, 0.9, 0.8 of A's impact). Must be finite and in [0, 1].</value>
    [Range(0.0, 1.0)]
    public double HopDecay { get; set; } = 0.1;

    /// <summary>Gets or sets a value indicating whether a node's impact is divided evenly among its direct dependents (parallel propagation).</summary>
    /// <value>The default value is <see langword="true"/>: A → {B, C} gives B and C each half of what A carries.</value>
    public bool SplitAcrossDependents { get; set; } = true;

    /// <summary>Gets or sets the largest number of hops an impact travels; this bounds the work on any graph, cyclic or not.</summary>
    /// <value>The default value is 16. Must be at least 0 (0 propagates nothing beyond the sources).</value>
    [Range(0, int.MaxValue)]
    public int MaxHops { get; set; } = 16;
}
