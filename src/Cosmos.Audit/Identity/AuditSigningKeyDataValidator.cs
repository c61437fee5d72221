using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Identity;

/// <summary>Source-generated DataAnnotations validation of one <see cref="AuditSigningKey"/> (trim-safe).</summary>
[OptionsValidator]
internal sealed partial class AuditSigningKeyDataValidator : IValidateOptions<AuditSigningKey>
{
}
