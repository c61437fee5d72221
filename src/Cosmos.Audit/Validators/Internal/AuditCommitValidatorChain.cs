namespace Cosmos.Audit.Validators.Internal;

/// <summary>The commit validators in their declared order; the first refusal ends the chain.</summary>
internal sealed class AuditCommitValidatorChain
{
    private readonly IAuditCommitValidator[] _validators;

    public AuditCommitValidatorChain(IEnumerable<IAuditCommitValidator> validators) => _validators = [.. validators];

    public int Count => _validators.Length;

    public IReadOnlyList<IAuditCommitValidator> Validators => _validators;

    public async ValueTask<AuditValidationVerdict> ValidateAsync(AuditCommitContext context, CancellationToken cancellationToken)
    {
        AuditValidationVerdict? last = null;
        foreach (var validator in _validators)
        {
            var task = validator.ValidateAsync(context, cancellationToken);
            last = task.IsCompletedSuccessfully ? task.Result : await task.ConfigureAwait(false);
            if (last is null)
            {
                throw new InvalidOperationException($"The commit validator '{validator.Name}' returned no verdict.");
            }

            if (!last.IsAllowed)
            {
                return last;
            }
        }

        return last ?? AuditValidationVerdict.Allow("none");
    }
}
