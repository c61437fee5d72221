using Microsoft.Extensions.Options;

namespace Cosmos.Isolation.Internal.Validators;

/// <summary>Source-generated DataAnnotations validation of <see cref="CosmosIsolationOptions"/> (trim-safe).</summary>
[OptionsValidator]
internal sealed partial class CosmosIsolationOptionsDataValidator : IValidateOptions<CosmosIsolationOptions>
{
}
