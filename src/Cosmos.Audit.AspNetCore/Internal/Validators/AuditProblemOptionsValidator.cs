using Cosmos.Audit.AspNetCore.Problems;
using Cosmos.Audit.Pipeline;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.AspNetCore.Internal.Validators;

/// <summary>Checks the status map of <see cref="AuditProblemOptions"/>: every refusal maps to an error status, success to none.</summary>
internal sealed class AuditProblemOptionsValidator : IValidateOptions<AuditProblemOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditProblemOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Map = $"{nameof(AuditProblemOptions)}.{nameof(AuditProblemOptions.StatusCodes)}";
        if (options.StatusCodes is null)
        {
            return ValidateOptionsResult.Fail($"{Map} must not be null.");
        }

        var failures = new List<string>();
        foreach (var (status, code) in options.StatusCodes)
        {
            if (status == AuditedWriteStatus.Succeeded)
            {
                failures.Add($"{Map}[{status}] must not be mapped: a success is not a problem.");
            }
            else if (code is < 400 or > 599)
            {
                failures.Add($"{Map}[{status}] must be an error status between 400 and 599 (was {code}).");
            }
        }

        const string Refusals = $"{nameof(AuditProblemOptions)}.{nameof(AuditProblemOptions.RefusalStatusCodes)}";
        if (options.RefusalStatusCodes is null)
        {
            failures.Add($"{Refusals} must not be null.");
        }
        else
        {
            foreach (var (validator, code) in options.RefusalStatusCodes)
            {
                if (code is < 400 or > 599)
                {
                    failures.Add($"{Refusals}[{validator}] must be an error status between 400 and 599 (was {code}).");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
