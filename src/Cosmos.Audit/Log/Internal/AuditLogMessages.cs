using Microsoft.Extensions.Logging;

namespace Cosmos.Audit.Log.Internal;

/// <summary>Source-generated log messages of the audit log and dead-letter queue (event ids 3000-3099 of the package range 3000-3499).</summary>
internal static partial class AuditLogMessages
{
    [LoggerMessage(EventId = 3000, EventName = "AuditLogTornRecordCut", Level = LogLevel.Warning,
        Message = "Cut a torn last record of {ByteCount} bytes from audit log {Path}; the chain resumes after record {RecordCount}")]
    public static partial void TornRecordCut(ILogger logger, string path, long byteCount, long recordCount);

    [LoggerMessage(EventId = 3001, EventName = "AuditLogBatchWriteFailed", Level = LogLevel.Error,
        Message = "Writing a batch of {EntryCount} records to {Path} failed; the batch was cut and its appenders failed")]
    public static partial void BatchWriteFailed(ILogger logger, Exception exception, string path, int entryCount);

    [LoggerMessage(EventId = 3002, EventName = "AuditCheckpointWritten", Level = LogLevel.Debug,
        Message = "Wrote a signed checkpoint of audit log {Path} at {RecordCount} records")]
    public static partial void CheckpointWritten(ILogger logger, string path, long recordCount);

    [LoggerMessage(EventId = 3003, EventName = "AuditCheckpointFailed", Level = LogLevel.Error,
        Message = "Writing a signed checkpoint of audit log {Path} failed")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 3010, EventName = "AuditSinkWriteFailed", Level = LogLevel.Warning,
        Message = "The audit sink failed to store event {EventId}; the event was dead-lettered")]
    public static partial void SinkWriteFailed(ILogger logger, Exception exception, Guid eventId);

    [LoggerMessage(EventId = 3011, EventName = "AuditDeadLetterReplayed", Level = LogLevel.Information,
        Message = "Dead-letter replay: {Written} written, {AlreadyPresent} already present, {Duplicates} duplicates skipped, {Failed} failed again")]
    public static partial void Replayed(ILogger logger, int written, int alreadyPresent, int duplicates, int failed);

    [LoggerMessage(EventId = 3012, EventName = "AuditDeadLetterMalformed", Level = LogLevel.Error,
        Message = "Dead-letter file {Path} has {Count} unreadable lines; it was kept as {KeptAs} for inspection")]
    public static partial void MalformedDeadLetters(ILogger logger, string path, int count, string keptAs);

    [LoggerMessage(EventId = 3013, EventName = "AuditDeadLetterReplayFailed", Level = LogLevel.Error,
        Message = "The background dead-letter replay failed")]
    public static partial void BackgroundReplayFailed(ILogger logger, Exception exception);
}
