using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cosmos.Audit.AspNetCore.Internal;

/// <summary>Records access failures as structured warnings (EventIds 3710 and 3711) with actor, reason and target.</summary>
internal sealed class LoggingAccessAuditReporter(ILogger<LoggingAccessAuditReporter> logger) : IAccessAuditReporter
{
    public void AuthenticationFailed(HttpContext context, TokenFailureReason reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (logger.IsEnabled(LogLevel.Warning))
        {
            AspNetCoreLog.AuthenticationFailed(
                logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", context.Request.Method, context.Request.Path, reason.ToErrorCode());
        }
    }

    public void PermissionDenied(HttpContext context, UserContext? user, string permission, string? reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (logger.IsEnabled(LogLevel.Warning))
        {
            AspNetCoreLog.PermissionDenied(
                logger, permission, user?.UserId ?? "anonymous", context.Request.Method, context.Request.Path, reason ?? "denied");
        }
    }
}
