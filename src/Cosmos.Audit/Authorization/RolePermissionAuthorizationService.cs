using System.Collections.Frozen;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Users;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Authorization;

/// <summary>Grants permissions from <see cref="CosmosAuditOptions.RolePermissions"/>.</summary>
internal sealed class RolePermissionAuthorizationService : IAuditAuthorizationService
{
    private readonly FrozenDictionary<string, FrozenSet<string>> _roles;
    private readonly IdentityMetrics? _metrics;

    public RolePermissionAuthorizationService(IOptions<CosmosAuditOptions> options, IdentityMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _roles = (options.Value.RolePermissions ?? new Dictionary<string, IList<string>>())
            .ToFrozenDictionary(
                pair => pair.Key,
                pair => (pair.Value ?? []).ToFrozenSet(StringComparer.Ordinal),
                StringComparer.Ordinal);
        _metrics = metrics;
    }

    public AuthorizationDecision Authorize(UserContext? user, string permission)
    {
        ArgumentException.ThrowIfNullOrEmpty(permission);
        if (user is null)
        {
            return Denied(AuthorizationDecision.Deny(permission, null, "the caller is not authenticated"));
        }

        foreach (var role in user.Roles)
        {
            if (_roles.TryGetValue(role, out var granted) && (granted.Contains(permission) || granted.Contains(AuditPermissions.All)))
            {
                return AuthorizationDecision.Allow(permission, user.UserId);
            }
        }

        return Denied(AuthorizationDecision.Deny(
            permission,
            user.UserId,
            user.Roles.Count == 0 ? "the user has no roles" : $"none of the roles [{string.Join(", ", user.Roles)}] grants it"));
    }

    public void EnsureAuthorized(UserContext? user, string permission)
    {
        var decision = Authorize(user, permission);
        if (!decision.IsAllowed)
        {
            throw new AuditAuthorizationException(decision);
        }
    }

    public IReadOnlySet<string> GetPermissions(UserContext user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var permissions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in user.Roles)
        {
            if (_roles.TryGetValue(role, out var granted))
            {
                permissions.UnionWith(granted);
            }
        }

        return permissions;
    }

    private AuthorizationDecision Denied(AuthorizationDecision decision)
    {
        _metrics?.AuthorizationDenied(decision.Permission);
        return decision;
    }
}
