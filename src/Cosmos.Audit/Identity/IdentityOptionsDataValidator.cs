using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Identity;

/// <summary>Source-generated DataAnnotations validation of the identity settings of <see cref="CosmosAuditOptions"/> (keys, JWT,
/// claim mapping; trim-safe). Rules that span several fields are in <see cref="IdentityOptionsValidator"/>.</summary>
[OptionsValidator]
internal sealed partial class IdentityOptionsDataValidator : IValidateOptions<CosmosAuditOptions>
{
}
