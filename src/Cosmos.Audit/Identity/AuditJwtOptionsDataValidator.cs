using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Identity;

/// <summary>Source-generated DataAnnotations validation of <see cref="AuditJwtOptions"/> (with its claim mapping and RSA keys;
/// trim-safe). <see cref="IdentityOptionsValidator"/> runs it for <see cref="CosmosAuditOptions.Jwt"/>.</summary>
/// <remarks>Generated for the identity sub-options rather than for <see cref="CosmosAuditOptions"/>, whose other features own
/// their settings and their validation.</remarks>
[OptionsValidator]
internal sealed partial class AuditJwtOptionsDataValidator : IValidateOptions<AuditJwtOptions>
{
}
