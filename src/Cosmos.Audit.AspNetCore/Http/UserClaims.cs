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

    // Each claim is created with the identity as its subject: ClaimsIdentity adopts such a claim as it is, where a claim made
    // without one (or passed to its constructor) is cloned on the way in.
    public static ClaimsPrincipal CreatePrincipal(UserContext user, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, Name, Role);
        Add(identity, UserId, user.UserId, ClaimValueTypes.String);
        Add(identity, Name, user.Username, ClaimValueTypes.String);
        foreach (var role in user.Roles)
        {
            Add(identity, Role, role, ClaimValueTypes.String);
        }

        if (user.IsServiceAccount)
        {
            Add(identity, ServiceAccount, "true", ClaimValueTypes.Boolean);
        }

        if (user.Delegation is { } delegation)
        {
            Add(identity, OnBehalfOf, delegation.OnBehalfOf, ClaimValueTypes.String);
        }

        return new ClaimsPrincipal(identity);
    }

    private static void Add(ClaimsIdentity identity, string type, string value, string valueType) =>
        identity.AddClaim(new Claim(type, value, valueType, ClaimsIdentity.DefaultIssuer, ClaimsIdentity.DefaultIssuer, identity));

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
