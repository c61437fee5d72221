namespace Cosmos.Audit.Log;

/// <summary>Why an audit log record failed verification.</summary>
public enum AuditLogFailure
{
    /// <summary>No failure: every record verified.</summary>
    None = 0,

    /// <summary>The line is not a well-formed audit record (bad JSON, missing fields, bad hash text).</summary>
    Malformed = 1,

    /// <summary>The record's stored hash does not match its content: the record was altered.</summary>
    HashMismatch = 2,

    /// <summary>The record's sequence number is not the previous one plus one: a record was removed, added or reordered.</summary>
    SequenceMismatch = 3,

    /// <summary>The record's previous-hash link does not match the previous record's hash: the chain was cut or spliced.</summary>
    ChainBroken = 4,

    /// <summary>The last line has no terminating newline: an append was torn (a crash) or the file was cut.</summary>
    IncompleteRecord = 5,

    /// <summary>The checkpoint verified against is not validly signed by a known checkpoint key: it proves nothing.</summary>
    CheckpointSignatureInvalid = 6,

    /// <summary>The log holds fewer records than a signed checkpoint says it held: records were cut from the end.</summary>
    Truncated = 7,

    /// <summary>The record at a signed checkpoint's sequence does not have the checkpoint's hash: the log was rewritten from that
    /// record or earlier with the hashes recomputed (re-chained).</summary>
    CheckpointMismatch = 8,
}
