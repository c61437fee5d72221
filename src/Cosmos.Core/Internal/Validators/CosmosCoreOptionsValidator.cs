using Microsoft.Extensions.Options;

namespace Cosmos.Core.Internal.Validators;

/// <summary>Checks the DataAnnotations of <see cref="CosmosCoreOptions"/> and of every options object it holds (source-generated).</summary>
[OptionsValidator]
internal sealed partial class CosmosCoreOptionsValidator : IValidateOptions<CosmosCoreOptions>
{
}
