using Microsoft.Extensions.Options;

namespace Cosmos.Audit.PostgreSql.Internal.Validators;

/// <summary>Validates <see cref="AuditPostgreSqlOptions"/> from its DataAnnotations (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class AuditPostgreSqlOptionsValidator : IValidateOptions<AuditPostgreSqlOptions>
{
}
