using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Internal;

/// <summary>Reports failed authentications and permission denials as security events (actor if known, reason, target).</summary>
/// <remarks>The one place where HTTP access failures leave the package; never handed the token.</remarks>
internal interface IAccessAuditReporter
{
    ValueTask AuthenticationFailedAsync(HttpContext context, TokenFailureReason reason);

    ValueTask PermissionDeniedAsync(HttpContext context, UserContext? user, string permission, string? reason);
}
