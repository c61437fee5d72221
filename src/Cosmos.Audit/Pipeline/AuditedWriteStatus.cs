namespace Cosmos.Audit.Pipeline;

/// <summary>How an audited write ended; each value maps to one HTTP status a host would return.</summary>
public enum AuditedWriteStatus
{
    /// <summary>The document was stamped and stored and its audit event published (HTTP 200/201).</summary>
    Succeeded = 0,

    /// <summary>The access token is missing or invalid; see <see cref="AuditedWriteResult.TokenFailure"/> (HTTP 401).</summary>
    Unauthenticated = 1,

    /// <summary>The user lacks the permission; see <see cref="AuditedWriteResult.MissingPermission"/> (HTTP 403).</summary>
    Forbidden = 2,

    /// <summary>An update, delete or restore named a document that does not exist (HTTP 404).</summary>
    NotFound = 3,

    /// <summary>A create named an existing document, an update or delete named a deleted one, or a restore named one that is not deleted (HTTP 409).</summary>
    Conflict = 4,

    /// <summary>The write was refused before the store: by a commit validator or because the audit log could not record it
    /// (size, depth, malformed text); see <see cref="AuditedWriteResult.Verdict"/> (HTTP 422, or 400 for the limits).</summary>
    Refused = 5,

    /// <summary>The document changed since the caller read it: the version named (or read) is not the stored one; nothing was
    /// written (HTTP 412 for an <c>If-Match</c> precondition, otherwise 409).</summary>
    VersionMismatch = 6,
}
