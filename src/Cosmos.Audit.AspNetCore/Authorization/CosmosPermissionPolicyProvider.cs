using System.Collections.Frozen;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.AspNetCore.Authorization;

/// <summary>Resolves a policy name that is a permission of <see cref="CosmosAuditOptions.RolePermissions"/> to "authenticated and
/// holds that permission"; every other name (and the default and fallback policies) goes to the default provider, so policies a
/// host registers by name keep working and take precedence.</summary>
/// <remarks>Policies are built once, at construction, from the permissions some role grants; the provider runs on every
/// authorized request, so it only does dictionary lookups. A name that no role grants is not a permission policy: the default
/// provider answers it, and an unknown name fails loudly as ASP.NET Core does for any missing policy.</remarks>
internal sealed class CosmosPermissionPolicyProvider : IAuthorizationPolicyProvider
{
    private readonly DefaultAuthorizationPolicyProvider _fallback;
    private readonly FrozenDictionary<string, AuthorizationPolicy> _permissionPolicies;

    public CosmosPermissionPolicyProvider(IOptions<AuthorizationOptions> authorizationOptions, IOptions<CosmosAuditOptions> auditOptions)
    {
        ArgumentNullException.ThrowIfNull(authorizationOptions);
        ArgumentNullException.ThrowIfNull(auditOptions);
        _fallback = new DefaultAuthorizationPolicyProvider(authorizationOptions);
        _permissionPolicies = (auditOptions.Value.RolePermissions ?? new Dictionary<string, IList<string>>())
            .SelectMany(pair => pair.Value ?? [])
            .Where(permission => !string.IsNullOrEmpty(permission) && permission != Cosmos.Audit.Authorization.AuditPermissions.All)
            .Distinct(StringComparer.Ordinal)
            .ToFrozenDictionary(
                permission => permission,
                permission => new AuthorizationPolicyBuilder().RequireCosmosPermission(permission).Build(),
                StringComparer.Ordinal);
    }

    public async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        var named = await _fallback.GetPolicyAsync(policyName).ConfigureAwait(false);
        if (named is not null)
        {
            return named;
        }

        return _permissionPolicies.GetValueOrDefault(policyName);
    }

    public Task<AuthorizationPolicy> GetDefaultPolicyAsync() => _fallback.GetDefaultPolicyAsync();

    public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() => _fallback.GetFallbackPolicyAsync();
}
