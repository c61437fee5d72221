using Cosmos.Audit.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.AspNetCore.Internal.Validators;

/// <summary>Source-generated DataAnnotations validation of <see cref="CosmosBearerOptions"/> (trim-safe).</summary>
[OptionsValidator]
internal sealed partial class CosmosBearerOptionsDataValidator : IValidateOptions<CosmosBearerOptions>
{
}
