using System.Security.Claims;
using Cosmos.Audit.Users;

namespace Cosmos.Audit.AspNetCore.Http;

/// <summary>Maps between <see cref="UserContext"/> and <see cref="ClaimsPrincipal"/> with the short JWT claim names
/// (<c>sub</c>, <c>name</c>, <c>role</c>), so <c>User.Identity.Name</c> and <c>User.IsInRole</c> work.</summary>
internal static class UserClaims
{
    public const string UserId = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string ServiceAccount = "service_account";
    public const string OnBehalfOf = "on_behalf_of";

    public static ClaimsPrincipal CreatePrincipal(UserContext user, string authenticationType)
    {
        var claims = new List<Claim>(3 + user.Roles.Count)
        {
            new(UserId, user.UserId),
            new(Name, user.Username),
        };
        foreach (var role in user.Roles)
        {
            claims.Add(new Claim(Role, role));
        }

        if (user.IsServiceAccount)
        {
            claims.Add(new Claim(ServiceAccount, "true", ClaimValueTypes.Boolean));
        }

        if (user.Delegation is { } delegation)
        {
            claims.Add(new Claim(OnBehalfOf, delegation.OnBehalfOf));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, Name, Role));
    }

    // For principals authenticated by another scheme: the usual id, name and role claims, long or short form.
    public static UserContext? FromPrincipal(ClaimsPrincipal principal)
    {
        if (principal.Identity is not { IsAuthenticated: true } identity)
        {
            return null;
        }

        var userId = principal.FindFirst(UserId)?.Value ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        if (string.IsNullOrEmpty(userId))
        {
            return null;
        }

        var roleType = (identity as ClaimsIdentity)?.RoleClaimType ?? ClaimTypes.Role;
        var roles = principal.Claims
            .Where(c => (c.Type == roleType || c.Type == Role || c.Type == ClaimTypes.Role) && c.Value.Length > 0)
            .Select(c => c.Value)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return new UserContext(userId, string.IsNullOrEmpty(identity.Name) ? userId : identity.Name) { Roles = roles };
    }
}
