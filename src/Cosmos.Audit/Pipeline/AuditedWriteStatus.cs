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
}
