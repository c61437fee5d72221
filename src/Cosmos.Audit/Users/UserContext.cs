namespace Cosmos.Audit.Users;

/// <summary>The authenticated caller of an operation: who they are, their roles, and for whom they act.</summary>
/// <remarks>Built from a validated access token or by a trusted host, and made
/// ambient with <see cref="IUserContextAccessor.Use(UserContext)"/>.</remarks>
public sealed record UserContext
{
    /// <summary>Creates a user context.</summary>
    /// <param name="userId">The stable user id (for example <c>alice123</c>).</param>
    /// <param name="username">The display or login name (for example <c>alice.smith</c>).</param>
    /// <exception cref="ArgumentException"><paramref name="userId"/> or <paramref name="username"/> is null or empty.</exception>
    public UserContext(string userId, string username)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(username);
        UserId = userId;
        Username = username;
    }

    /// <summary>Gets the stable user id.</summary>
    public string UserId { get; }

    /// <summary>Gets the display or login name.</summary>
    public string Username { get; }

    /// <summary>Gets the roles granted to the user; permissions come from the roles (see <see cref="Authorization.IAuditAuthorizationService"/>).</summary>
    /// <value>The default value is an empty list.</value>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Gets a value indicating whether the caller is a service account rather than a person.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IsServiceAccount { get; init; }

    /// <summary>Gets the delegation when the caller acts on behalf of another user, otherwise <see langword="null"/>.</summary>
    public Delegation? Delegation { get; init; }

    /// <summary>Returns <see langword="true"/> when <see cref="Roles"/> contains <paramref name="role"/> (ordinal comparison).</summary>
    /// <param name="role">The role name.</param>
    /// <returns>Whether the user holds the role.</returns>
    public bool IsInRole(string role)
    {
        foreach (var r in Roles)
        {
            if (string.Equals(r, role, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
