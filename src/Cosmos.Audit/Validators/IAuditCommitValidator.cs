namespace Cosmos.Audit.Validators;

/// <summary>A check on a write, run by the request pipeline after authorization and before the store write.</summary>
/// <remarks>
/// Validators run in the order they were added (<c>AddCosmosAuditValidators</c>); the first refusal stops the write: nothing is
/// stored, the verdict is returned to the caller and recorded as a <see cref="Log.AuditAction.WriteRefused"/> audit event.
/// A validator may change <see cref="AuditCommitContext.After"/> (for example to redact a value) and may ask for values to be
/// redacted in the audit record only (<see cref="AuditCommitContext.RedactInAuditRecord"/>).
/// </remarks>
public interface IAuditCommitValidator
{
    /// <summary>Gets the validator's name, used in verdicts, audit records and metrics (for example <c>schema</c>).</summary>
    string Name { get; }

    /// <summary>Checks a write.</summary>
    /// <param name="context">The write: user, collection, document before and after.</param>
    /// <param name="cancellationToken">Cancels the check (and the write).</param>
    /// <returns>An allowing or refusing verdict.</returns>
    ValueTask<AuditValidationVerdict> ValidateAsync(AuditCommitContext context, CancellationToken cancellationToken);
}
