namespace Cosmos.Audit.Pipeline;

/// <summary>The kind of an <see cref="AuditSecurityEvent"/>.</summary>
public enum AuditSecurityEventKind
{
    /// <summary>The request carried no valid credentials (missing, malformed, expired or forged token).</summary>
    AuthenticationFailed = 0,

    /// <summary>An authenticated user lacked the permission the request needs.</summary>
    AccessDenied = 1,

    /// <summary>A write was refused by a commit validator or the publishing limits.</summary>
    WriteRefused = 2,
}
