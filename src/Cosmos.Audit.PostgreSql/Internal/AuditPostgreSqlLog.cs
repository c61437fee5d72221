using Microsoft.Extensions.Logging;

namespace Cosmos.Audit.PostgreSql.Internal;

/// <summary>Source-generated log messages of Cosmos.Audit.PostgreSql (event ids 3500-3699); no secrets, tokens or payloads are logged.</summary>
internal static partial class AuditPostgreSqlLog
{
    [LoggerMessage(EventId = 3500, EventName = "SchemaApplied", Level = LogLevel.Information,
        Message = "Schema '{Schema}' migrated from version {From} to version {To}.")]
    public static partial void SchemaApplied(ILogger logger, string schema, int from, int to);

    [LoggerMessage(EventId = 3501, EventName = "AuditBatchFailed", Level = LogLevel.Warning,
        Message = "An audit batch of {Count} records could not be written to PostgreSQL; the appenders receive the error.")]
    public static partial void AuditBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3502, EventName = "AuditChainBroken", Level = LogLevel.Error,
        Message = "Audit log verification failed at sequence {Sequence}: {Failure}: {Reason}.")]
    public static partial void AuditChainBroken(ILogger logger, long? sequence, Cosmos.Audit.Log.AuditLogFailure failure, string? reason);

    [LoggerMessage(EventId = 3503, EventName = "SubscriptionReconnecting", Level = LogLevel.Warning,
        Message = "The event store subscription lost its connection after position {Position}; reconnecting.")]
    public static partial void SubscriptionReconnecting(ILogger logger, Exception exception, long position);

    [LoggerMessage(EventId = 3504, EventName = "RefreshTokenReuse", Level = LogLevel.Warning,
        Message = "A used refresh token of family {FamilyId} was presented again; the family is revoked.")]
    public static partial void RefreshTokenReuse(ILogger logger, string familyId);

    [LoggerMessage(EventId = 3505, EventName = "SchemaDeferred", Level = LogLevel.Error,
        Message = "The database was unreachable at start; schema '{Schema}' will be applied by the first call that reaches it. Audit events dead-letter until then.")]
    public static partial void SchemaDeferred(ILogger logger, Exception exception, string schema);
}
