namespace Cosmos.Audit.Authorization;

/// <summary>Permission names with a meaning of their own in <see cref="CosmosAuditOptions.RolePermissions"/>.</summary>
public static class AuditPermissions
{
    /// <summary>The wildcard permission <c>*</c>: a role that lists it holds every permission.</summary>
    public const string All = "*";
}
