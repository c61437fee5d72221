using System.Globalization;
using Microsoft.Extensions.Options;

namespace Cosmos.Core;

/// <summary>Validates the layer settings of <see cref="CosmosCoreOptions"/> when the host starts.</summary>
internal sealed class LayerOptionsValidator : IValidateOptions<CosmosCoreOptions>
{
    public ValidateOptionsResult Validate(string? name, CosmosCoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Validate(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Returns one message per invalid setting, each naming the option; empty when all are valid.</summary>
    internal static List<string> Validate(CosmosCoreOptions options)
    {
        var failures = new List<string>();
        var inv = CultureInfo.InvariantCulture;

        foreach (var layer in options.EscapeVelocities.Keys)
        {
            if (!LayerModel.IsDefined(layer))
            {
                failures.Add(string.Create(inv, $"CosmosCoreOptions.EscapeVelocities has a key {(int)layer} that is not a layer (1 to 7)."));
            }
        }

        var previous = 0.0;
        var previousLayer = default(CosmicLayer);
        for (var layer = CosmicLayer.Quantum; layer <= CosmicLayer.Cosmos; layer++)
        {
            var value = LayerModel.EscapeVelocityOf(options, layer);
            if (!double.IsFinite(value) || value <= 0 || value > 1)
            {
                failures.Add(string.Create(inv, $"CosmosCoreOptions.EscapeVelocities[{layer}] must be finite and in (0, 1]; got {value:R}."));
                continue;
            }

            if (previousLayer != default && value < previous)
            {
                failures.Add(string.Create(inv, $"CosmosCoreOptions.EscapeVelocities[{layer}] ({value:R}) must not be lower than EscapeVelocities[{previousLayer}] ({previous:R}): thresholds are non-decreasing from L1 to L7."));
            }

            previous = value;
            previousLayer = layer;
        }

        var ratio = options.WarningRatio;
        if (!(ratio > 0 && ratio < 1))
        {
            failures.Add(string.Create(inv, $"CosmosCoreOptions.WarningRatio must be in (0, 1); got {ratio:R}."));
        }

        var weightsValid = true;
        foreach (var (option, weight) in new[]
        {
            (nameof(CosmosCoreOptions.ImpactChangeRateWeight), options.ImpactChangeRateWeight),
            (nameof(CosmosCoreOptions.ImpactScaleFactorWeight), options.ImpactScaleFactorWeight),
            (nameof(CosmosCoreOptions.ImpactDependencyWeight), options.ImpactDependencyWeight),
        })
        {
            if (!ImpactWeights.IsValidWeight(weight))
            {
                failures.Add(string.Create(inv, $"CosmosCoreOptions.{option} must be finite and ≥ 0; got {weight:R}."));
                weightsValid = false;
            }
        }

        if (weightsValid && !ImpactWeights.SumsToOne(options.ImpactChangeRateWeight, options.ImpactScaleFactorWeight, options.ImpactDependencyWeight))
        {
            var sum = options.ImpactChangeRateWeight + options.ImpactScaleFactorWeight + options.ImpactDependencyWeight;
            failures.Add(string.Create(inv, $"CosmosCoreOptions.ImpactChangeRateWeight + ImpactScaleFactorWeight + ImpactDependencyWeight must sum to 1; got {sum:R}."));
        }

        return failures;
    }
}
