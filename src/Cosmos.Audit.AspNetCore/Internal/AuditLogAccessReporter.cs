using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cosmos.Audit.AspNetCore.Internal;

/// <summary>Writes access failures to the audit log as security events through Cosmos.Audit's rate-limited
/// <see cref="IAuditSecurityEventSink"/> (so a flood of bad tokens cannot exhaust the log), and logs them as warnings.</summary>
internal sealed class AuditLogAccessReporter(IAuditSecurityEventSink sink, ILogger<AuditLogAccessReporter> logger) : IAccessAuditReporter
{
    public async ValueTask AuthenticationFailedAsync(HttpContext context, TokenFailureReason reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = context.Connection.RemoteIpAddress?.ToString();
        AspNetCoreLog.AuthenticationFailed(logger, source ?? "unknown", context.Request.Method, context.Request.Path, reason.ToErrorCode());
        await RecordAsync(context, new AuditSecurityEvent
        {
            Kind = AuditSecurityEventKind.AuthenticationFailed,
            Reason = "token " + reason.ToErrorCode(),
            Target = Target(context),
            Source = source,
        }).ConfigureAwait(false);
    }

    public async ValueTask PermissionDeniedAsync(HttpContext context, UserContext? user, string permission, string? reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        AspNetCoreLog.PermissionDenied(logger, permission, user?.UserId ?? "anonymous", context.Request.Method, context.Request.Path, reason ?? "denied");
        await RecordAsync(context, new AuditSecurityEvent
        {
            Kind = AuditSecurityEventKind.AccessDenied,
            Reason = $"missing permission '{permission}'",
            Actor = user,
            Target = Target(context),
            Source = context.Connection.RemoteIpAddress?.ToString(),
        }).ConfigureAwait(false);
    }

    // Method and path only: the query string can carry secrets.
    private static string Target(HttpContext context) => context.Request.Method + " " + context.Request.Path.Value;

    private async ValueTask RecordAsync(HttpContext context, AuditSecurityEvent securityEvent)
    {
        try
        {
            await sink.RecordAsync(securityEvent, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller left; the sink may still write the event, and the response no longer matters.
        }
    }
}
