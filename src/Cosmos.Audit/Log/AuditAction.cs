namespace Cosmos.Audit.Log;

/// <summary>What an <see cref="AuditEvent"/> records: a change to a document, or a security event (a refused attempt).</summary>
public enum AuditAction
{
    /// <summary>A document was created.</summary>
    Create = 0,

    /// <summary>A document was updated.</summary>
    Update = 1,

    /// <summary>A document was soft-deleted (flagged deleted, kept in place).</summary>
    Delete = 2,

    /// <summary>A soft-deleted document was restored.</summary>
    Restore = 3,

    /// <summary>A request presented no valid credentials; <see cref="AuditEvent.Reason"/> says why. Nothing was changed.</summary>
    AuthenticationFailed = 4,

    /// <summary>An authenticated user lacked a permission; <see cref="AuditEvent.Reason"/> names it. Nothing was changed.</summary>
    AccessDenied = 5,

    /// <summary>A write was refused by a commit validator or by the publishing limits; <see cref="AuditEvent.Reason"/> says which and why. Nothing was changed.</summary>
    WriteRefused = 6,

    /// <summary>Security events dropped by the rate limit since the last one recorded; <see cref="AuditEvent.Reason"/> holds the count.</summary>
    SecurityEventsSuppressed = 7,
}
