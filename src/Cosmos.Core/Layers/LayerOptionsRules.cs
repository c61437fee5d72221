using System.Globalization;
using Cosmos.Core.Math;

namespace Cosmos.Core.Layers;

/// <summary>The rules of <see cref="LayerOptions"/> that DataAnnotations cannot state: the escape-velocity table and the weights' sum.</summary>
/// <remarks>One copy of the rules, used by <see cref="LayerModel.Create"/> and by the package's options validator at start.</remarks>
internal static class LayerOptionsRules
{
    /// <summary>Adds one message per broken rule to <paramref name="failures"/>, each naming the option under <paramref name="path"/>.</summary>
    public static void Check(LayerOptions options, string path, List<string> failures)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var layer in options.EscapeVelocities.Keys)
        {
            if (!LayerModel.IsDefined(layer))
            {
                failures.Add(string.Create(inv, $"{path}.EscapeVelocities has a key {(int)layer} that is not a layer (1 to 7)."));
            }
        }

        var previous = 0.0;
        var previousLayer = default(CosmicLayer);
        for (var layer = CosmicLayer.Quantum; layer <= CosmicLayer.Cosmos; layer++)
        {
            var value = LayerModel.EscapeVelocityOf(options, layer);
            if (!double.IsFinite(value) || value <= 0 || value > 1)
            {
                failures.Add(string.Create(inv, $"{path}.EscapeVelocities[{layer}] must be finite and in (0, 1]; got {value:R}."));
                continue;
            }

            if (previousLayer != default && value < previous)
            {
                failures.Add(string.Create(inv, $"{path}.EscapeVelocities[{layer}] ({value:R}) must not be lower than EscapeVelocities[{previousLayer}] ({previous:R}): thresholds are non-decreasing from L1 to L7."));
            }

            previous = value;
            previousLayer = layer;
        }

        // Each weight's own range is a DataAnnotation; the sum is only meaningful once every weight is in range.
        var (a, b, c) = (options.ImpactChangeRateWeight, options.ImpactScaleFactorWeight, options.ImpactDependencyWeight);
        if (ImpactWeights.IsValidWeight(a) && ImpactWeights.IsValidWeight(b) && ImpactWeights.IsValidWeight(c) && !ImpactWeights.SumsToOne(a, b, c))
        {
            failures.Add(string.Create(inv, $"{path}.ImpactChangeRateWeight + ImpactScaleFactorWeight + ImpactDependencyWeight must sum to 1; got {a + b + c:R}."));
        }
    }
}
