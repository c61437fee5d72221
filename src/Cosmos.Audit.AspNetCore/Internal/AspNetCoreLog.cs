using Cosmos.Audit.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cosmos.Audit.AspNetCore.Internal;

/// <summary>Source-generated log messages of Cosmos.Audit.AspNetCore (EventIds 3700-3999); tokens are never logged.</summary>
internal static partial class AspNetCoreLog
{
    [LoggerMessage(EventId = 3700, EventName = "BearerTokenRejected", Level = LogLevel.Information,
        Message = "Bearer token rejected for {Method} {Path}: {Reason}.")]
    public static partial void BearerTokenRejected(ILogger logger, string method, PathString path, TokenFailureReason reason);

    [LoggerMessage(EventId = 3701, EventName = "BearerChallenge", Level = LogLevel.Debug,
        Message = "Bearer challenge (401) for {Path}, error {Error}.")]
    public static partial void BearerChallenge(ILogger logger, PathString path, string error);

    [LoggerMessage(EventId = 3702, EventName = "BearerForbidden", Level = LogLevel.Debug,
        Message = "Bearer forbidden (403) for {Path}, missing permission {Permission}.")]
    public static partial void BearerForbidden(ILogger logger, PathString path, string permission);

    [LoggerMessage(EventId = 3710, EventName = "AuthenticationFailed", Level = LogLevel.Warning,
        Message = "Failed authentication from {RemoteAddress} on {Method} {Path}: {Reason}.")]
    public static partial void AuthenticationFailed(ILogger logger, string remoteAddress, string method, PathString path, string reason);

    [LoggerMessage(EventId = 3711, EventName = "PermissionDenied", Level = LogLevel.Warning,
        Message = "Permission {Permission} denied to {UserId} on {Method} {Path}: {Reason}.")]
    public static partial void PermissionDenied(ILogger logger, string permission, string userId, string method, PathString path, string reason);
}
