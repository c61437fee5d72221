namespace Cosmos.Audit.Log;

/// <summary>The kind of change an <see cref="AuditEvent"/> records.</summary>
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
}
