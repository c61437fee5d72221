namespace Cosmos.Audit.Authorization;

/// <summary>The outcome of a permission check.</summary>
public sealed record AuthorizationDecision
{
    private AuthorizationDecision(bool isAllowed, string permission, string? userId, string? reason)
    {
        IsAllowed = isAllowed;
        Permission = permission;
        UserId = userId;
        Reason = reason;
    }

    /// <summary>Gets a value indicating whether the user holds the permission.</summary>
    public bool IsAllowed { get; }

    /// <summary>Gets the permission that was checked (the missing one when denied).</summary>
    public string Permission { get; }

    /// <summary>Gets the id of the user checked, or <see langword="null"/> for an anonymous caller.</summary>
    public string? UserId { get; }

    /// <summary>Gets why the check was denied, or <see langword="null"/> when allowed.</summary>
    public string? Reason { get; }

    /// <summary>Creates an allowing decision.</summary>
    /// <param name="permission">The permission checked.</param>
    /// <param name="userId">The user id.</param>
    /// <returns>The decision.</returns>
    public static AuthorizationDecision Allow(string permission, string userId) => new(true, permission, userId, null);

    /// <summary>Creates a denying decision.</summary>
    /// <param name="permission">The missing permission.</param>
    /// <param name="userId">The user id, or <see langword="null"/> for an anonymous caller.</param>
    /// <param name="reason">Why it was denied.</param>
    /// <returns>The decision.</returns>
    public static AuthorizationDecision Deny(string permission, string? userId, string reason) => new(false, permission, userId, reason);
}
