using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Internal.Validators;

/// <summary>The DataAnnotations rules of the audit log and pipeline options (ranges, required values), source-generated so they
/// are checked at start without reflection; each failure names the option.</summary>
[OptionsValidator]
internal sealed partial class CosmosAuditOptionsDataValidator : IValidateOptions<CosmosAuditOptions>
{
}
