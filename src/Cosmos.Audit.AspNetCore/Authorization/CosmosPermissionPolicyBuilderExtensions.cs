using Microsoft.AspNetCore.Authorization;

namespace Cosmos.Audit.AspNetCore.Authorization;

/// <summary>Adds Cosmos permission requirements to hand-built authorization policies.</summary>
public static class CosmosPermissionPolicyBuilderExtensions
{
    /// <summary>Requires an authenticated caller that holds <paramref name="permission"/> through one of their roles.</summary>
    /// <param name="builder">The policy builder.</param>
    /// <param name="permission">The permission, for example <c>documents.write</c>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="permission"/> is null or empty.</exception>
    public static AuthorizationPolicyBuilder RequireCosmosPermission(this AuthorizationPolicyBuilder builder, string permission)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.RequireAuthenticatedUser().AddRequirements(new CosmosPermissionRequirement(permission));
    }
}
