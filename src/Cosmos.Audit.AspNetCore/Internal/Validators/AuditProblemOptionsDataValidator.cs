using Cosmos.Audit.AspNetCore.Problems;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.AspNetCore.Internal.Validators;

/// <summary>Source-generated DataAnnotations validation of <see cref="AuditProblemOptions"/> (trim-safe).</summary>
[OptionsValidator]
internal sealed partial class AuditProblemOptionsDataValidator : IValidateOptions<AuditProblemOptions>
{
}
