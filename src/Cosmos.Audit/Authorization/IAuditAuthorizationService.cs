using Cosmos.Audit.Users;

namespace Cosmos.Audit.Authorization;

/// <summary>Checks that a user holds a permission through one of their roles (user → roles → permissions).</summary>
public interface IAuditAuthorizationService
{
    /// <summary>Decides whether <paramref name="user"/> holds <paramref name="permission"/>.</summary>
    /// <param name="user">The caller; <see langword="null"/> (anonymous) is always denied.</param>
    /// <param name="permission">The permission, for example <c>documents.write</c>.</param>
    /// <returns>The decision; when denied it names the missing permission.</returns>
    /// <exception cref="ArgumentException"><paramref name="permission"/> is null or empty.</exception>
    AuthorizationDecision Authorize(UserContext? user, string permission);

    /// <summary>Throws unless <paramref name="user"/> holds <paramref name="permission"/>.</summary>
    /// <param name="user">The caller; <see langword="null"/> (anonymous) is always denied.</param>
    /// <param name="permission">The permission.</param>
    /// <exception cref="ArgumentException"><paramref name="permission"/> is null or empty.</exception>
    /// <exception cref="AuditAuthorizationException">The user lacks the permission; the exception names it.</exception>
    void EnsureAuthorized(UserContext? user, string permission);

    /// <summary>Returns every permission the user's roles grant (<c>*</c> included as given).</summary>
    /// <param name="user">The user.</param>
    /// <returns>The granted permissions, ordinal, without duplicates.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> is <see langword="null"/>.</exception>
    IReadOnlySet<string> GetPermissions(UserContext user);
}
