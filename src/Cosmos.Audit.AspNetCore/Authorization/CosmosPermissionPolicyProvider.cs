using System.Collections.Frozen;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.AspNetCore.Authorization;

/// <summary>Resolves a policy name that is a permission of <see cref="CosmosAuditOptions.RolePermissions"/> to "authenticated and
/// holds that permission"; every other name (and the default and fallback policies) goes to the default provider, so policies a
/// host registers by name keep working and take precedence.</summary>
/// <remarks>Policies are built once, at construction, from the permissions some role grants; the provider runs on every
/// authorized request, so it only does dictionary lookups and hands out completed tasks built once. A name that no role grants
/// is not a permission policy: the default provider answers it, and an unknown name fails loudly as ASP.NET Core does for any
/// missing policy. Since every name maps to the same policy for the provider's lifetime (the default provider's answers come
/// from <see cref="AuthorizationOptions"/>, fixed once built), the authorization middleware may cache the combined policy of
/// an endpoint instead of combining it on every request.</remarks>
internal sealed class CosmosPermissionPolicyProvider : IAuthorizationPolicyProvider
{
    private readonly DefaultAuthorizationPolicyProvider _fallback;
    private readonly FrozenDictionary<string, Task<AuthorizationPolicy?>> _permissionPolicies;

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
                permission => Task.FromResult<AuthorizationPolicy?>(new AuthorizationPolicyBuilder().RequireCosmosPermission(permission).Build()),
                StringComparer.Ordinal);
    }

    public bool AllowsCachingPolicies => true;

    public Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        // The default provider answers from AuthorizationOptions with completed tasks; a pending one is awaited.
        var named = _fallback.GetPolicyAsync(policyName);
        if (!named.IsCompletedSuccessfully)
        {
            return AwaitNamedAsync(named, policyName);
        }

        return named.Result is not null ? named : _permissionPolicies.GetValueOrDefault(policyName, named);
    }

    public Task<AuthorizationPolicy> GetDefaultPolicyAsync() => _fallback.GetDefaultPolicyAsync();

    public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() => _fallback.GetFallbackPolicyAsync();

    private async Task<AuthorizationPolicy?> AwaitNamedAsync(Task<AuthorizationPolicy?> named, string policyName)
    {
        var policy = await named.ConfigureAwait(false);
        if (policy is null && _permissionPolicies.TryGetValue(policyName, out var permission))
        {
            policy = await permission.ConfigureAwait(false);
        }

        return policy;
    }
}
