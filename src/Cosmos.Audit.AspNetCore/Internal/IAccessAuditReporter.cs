using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Internal;

/// <summary>Reports failed authentications and permission denials as security events (actor if known, reason, target).</summary>
/// <remarks>The one place where HTTP access failures leave the package: the reporter decides how they are recorded and how a
/// flood of them is limited. Never handed the token.</remarks>
internal interface IAccessAuditReporter
{
    void AuthenticationFailed(HttpContext context, TokenFailureReason reason);

    void PermissionDenied(HttpContext context, UserContext? user, string permission, string? reason);
}
