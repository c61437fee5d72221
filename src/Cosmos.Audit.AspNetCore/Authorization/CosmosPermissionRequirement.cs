using Microsoft.AspNetCore.Authorization;

namespace Cosmos.Audit.AspNetCore.Authorization;

/// <summary>Requires that the caller holds a Cosmos permission through one of their roles
/// (<see cref="CosmosAuditOptions.RolePermissions"/>, checked by <see cref="Cosmos.Audit.Authorization.IAuditAuthorizationService"/>).</summary>
public sealed class CosmosPermissionRequirement : IAuthorizationRequirement
{
    /// <summary>Creates the requirement.</summary>
    /// <param name="permission">The permission, for example <c>documents.write</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="permission"/> is null or empty.</exception>
    public CosmosPermissionRequirement(string permission)
    {
        ArgumentException.ThrowIfNullOrEmpty(permission);
        Permission = permission;
    }

    /// <summary>Gets the required permission.</summary>
    public string Permission { get; }

    /// <inheritdoc />
    public override string ToString() => $"CosmosPermissionRequirement: requires the permission '{Permission}'.";
}
