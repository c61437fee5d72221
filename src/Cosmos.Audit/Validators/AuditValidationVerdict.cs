namespace Cosmos.Audit.Validators;

/// <summary>What one validator decided about a write: allowed, or refused with a reason and located errors.</summary>
public sealed class AuditValidationVerdict
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, AuditValidationVerdict> AllowedByName = new(StringComparer.Ordinal);

    private AuditValidationVerdict(string validator, bool isAllowed, string? reason, IReadOnlyList<AuditValidationError> errors)
    {
        Validator = validator;
        IsAllowed = isAllowed;
        Reason = reason;
        Errors = errors;
    }

    /// <summary>Gets the name of the validator that decided.</summary>
    public string Validator { get; }

    /// <summary>Gets a value indicating whether the write may go on.</summary>
    public bool IsAllowed { get; }

    /// <summary>Gets why the write was refused; <see langword="null"/> when allowed.</summary>
    public string? Reason { get; }

    /// <summary>Gets the located errors behind a refusal (empty when allowed or when the refusal is about the whole write).</summary>
    public IReadOnlyList<AuditValidationError> Errors { get; }

    /// <summary>Returns the allowing verdict of <paramref name="validator"/> (cached: allowing allocates nothing).</summary>
    /// <param name="validator">The validator's name.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentException"><paramref name="validator"/> is null or empty.</exception>
    public static AuditValidationVerdict Allow(string validator)
    {
        ArgumentException.ThrowIfNullOrEmpty(validator);

        // Lock-free on the hot path: every write asks each validator for its allowing verdict.
        return AllowedByName.TryGetValue(validator, out var verdict)
            ? verdict
            : AllowedByName.GetOrAdd(validator, static name => new AuditValidationVerdict(name, true, null, []));
    }

    /// <summary>Returns a refusing verdict.</summary>
    /// <param name="validator">The validator's name.</param>
    /// <param name="reason">Why; never the refused value itself.</param>
    /// <param name="errors">Located errors, if any.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentException"><paramref name="validator"/> or <paramref name="reason"/> is null or empty.</exception>
    public static AuditValidationVerdict Refuse(string validator, string reason, IReadOnlyList<AuditValidationError>? errors = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(validator);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new AuditValidationVerdict(validator, false, reason, errors ?? []);
    }

    /// <inheritdoc />
    public override string ToString() => IsAllowed
        ? Validator + ": allowed"
        : Validator + ": " + Reason + (Errors.Count == 0 ? string.Empty : " (" + string.Join("; ", Errors) + ")");
}
