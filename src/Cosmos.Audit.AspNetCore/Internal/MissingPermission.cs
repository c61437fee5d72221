using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Internal;

/// <summary>Carries the permission a policy found missing from the authorization handler to the 403 response
/// (<c>scope</c> of the <c>insufficient_scope</c> challenge).</summary>
internal static class MissingPermission
{
    private static readonly object s_key = new();

    public static void Record(HttpContext context, string permission) => context.Items[s_key] = permission;

    public static string? Get(HttpContext context) => context.Items.TryGetValue(s_key, out var value) ? value as string : null;
}
