namespace Cosmos.Audit.Log;

/// <summary>The outcome of verifying a hash-chained audit log: valid, or the first broken record and why.</summary>
/// <param name="Failure">Why verification stopped; <see cref="AuditLogFailure.None"/> when the whole log verified.</param>
/// <param name="RecordCount">The number of records that verified before the first broken one (all of them when valid).</param>
/// <param name="LastHash">The lowercase hex SHA-256 hash of the last verified record (64 zeros for an empty log); anchor it elsewhere to detect truncation.</param>
/// <param name="LineNumber">The 1-based line number of the first broken record, or <see langword="null"/> when valid.</param>
/// <param name="Sequence">The sequence number the first broken record should have had, or <see langword="null"/> when valid.</param>
/// <param name="Message">A human-readable explanation, or <see langword="null"/> when valid.</param>
public sealed record AuditLogVerification(
    AuditLogFailure Failure,
    long RecordCount,
    string LastHash,
    long? LineNumber,
    long? Sequence,
    string? Message)
{
    /// <summary>Whether every record verified.</summary>
    public bool IsValid => Failure == AuditLogFailure.None;

    /// <inheritdoc />
    public override string ToString() => IsValid
        ? $"valid: {RecordCount} records, last hash {LastHash}"
        : $"broken at line {LineNumber} (sequence {Sequence}): {Failure}: {Message}";
}
