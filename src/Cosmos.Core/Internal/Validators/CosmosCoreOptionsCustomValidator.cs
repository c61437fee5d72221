using Cosmos.Core.Layers;
using Microsoft.Extensions.Options;

namespace Cosmos.Core.Internal.Validators;

/// <summary>Checks the rules of <see cref="CosmosCoreOptions"/> that DataAnnotations cannot state, naming each bad option by its full path.</summary>
/// <remarks>
/// The layer rules (escape-velocity table, weights summing to 1) live beside <see cref="LayerModel"/>, which applies the same
/// rules when a host builds a model without DI.
/// </remarks>
internal sealed class CosmosCoreOptionsCustomValidator : IValidateOptions<CosmosCoreOptions>
{
    private const string Root = nameof(CosmosCoreOptions);

    public ValidateOptionsResult Validate(string? name, CosmosCoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Layers is not null)
        {
            LayerOptionsRules.Check(options.Layers, $"{Root}.{nameof(CosmosCoreOptions.Layers)}", failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
