using Cosmos.Audit.Stamping;

namespace Cosmos.Audit.Validators;

/// <summary>The <c>tamper</c> validator: refuses a write whose document carried audit fields (a client trying to set who or when),
/// and an update, delete or restore that names a version other than the stored one (someone else changed the document since
/// the caller read it).</summary>
/// <remarks>Without this validator audit fields sent by a client are silently replaced by the stamper and a stale version is
/// still refused by the store (<see cref="Pipeline.AuditConcurrencyException"/>); with it both are refused early, named and audited.</remarks>
public sealed class TamperCommitValidator : IAuditCommitValidator
{
    /// <inheritdoc />
    public string Name => "tamper";

    /// <inheritdoc />
    public ValueTask<AuditValidationVerdict> ValidateAsync(AuditCommitContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.SubmittedAuditFields.Count > 0)
        {
            var errors = new AuditValidationError[context.SubmittedAuditFields.Count];
            for (var i = 0; i < errors.Length; i++)
            {
                errors[i] = new AuditValidationError("/" + context.SubmittedAuditFields[i], "audit fields are set by the server, not the client");
            }

            return ValueTask.FromResult(AuditValidationVerdict.Refuse(Name, "the request carried audit fields", errors));
        }

        if (context.ExpectedVersion is { } expected && expected != context.StoredVersion)
        {
            return ValueTask.FromResult(AuditValidationVerdict.Refuse(
                Name,
                $"the document changed since it was read (version {expected} was read, version {context.StoredVersion} is stored)"));
        }

        return ValueTask.FromResult(AuditValidationVerdict.Allow(Name));
    }

    /// <summary>Lists the audit field names among the top-level properties of a client's document.</summary>
    internal static IReadOnlyList<string> FindAuditFields(System.Text.Json.Nodes.JsonObject? document)
    {
        if (document is null)
        {
            return [];
        }

        List<string>? found = null;
        foreach (var (name, _) in document)
        {
            if (AuditFields.IsAuditField(name))
            {
                (found ??= []).Add(name);
            }
        }

        return (IReadOnlyList<string>?)found ?? [];
    }
}
