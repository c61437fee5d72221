using Microsoft.Extensions.Logging;

namespace Cosmos.Audit.Identity;

/// <summary>Source-generated log messages of the identity features; tokens and signatures are never logged.</summary>
internal static partial class IdentityLog
{
    [LoggerMessage(EventId = 3300, EventName = "AccessTokenRejected", Level = LogLevel.Information,
        Message = "Access token rejected: {Reason}.")]
    public static partial void AccessTokenRejected(ILogger logger, Tokens.TokenFailureReason reason);

    [LoggerMessage(EventId = 3301, EventName = "AccessTokenValidationError", Level = LogLevel.Warning,
        Message = "Access token rejected by an unexpected validation error of type {ExceptionType}.")]
    public static partial void AccessTokenValidationError(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 3302, EventName = "RefreshTokenReuseDetected", Level = LogLevel.Warning,
        Message = "A refresh token of user {UserId} was presented after it had been used; its token family is revoked.")]
    public static partial void RefreshTokenReuseDetected(ILogger logger, string userId);
}
