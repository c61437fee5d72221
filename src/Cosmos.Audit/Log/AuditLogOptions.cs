namespace Cosmos.Audit.Log;

/// <summary>Audit log and dead-letter settings used by <c>AddCosmosAudit</c> (<see cref="CosmosAuditOptions.AuditLog"/>).</summary>
public sealed class AuditLogOptions
{
    /// <summary>Gets or sets the path of the hash-chained JSONL audit log; its directory is created if missing.</summary>
    /// <value>The default value is <c>audit/audit.jsonl</c> under the application's base directory.</value>
    public string Path { get; set; } = System.IO.Path.Combine(AppContext.BaseDirectory, "audit", "audit.jsonl");

    /// <summary>Gets or sets the most appends written and flushed together (group commit).</summary>
    /// <value>The default value is 4096. Allowed: 1 to 1,048,576.</value>
    public int MaxBatchSize { get; set; } = 4096;

    /// <summary>Gets or sets how long the log's writer waits for one more append before writing a batch (see <see cref="AuditLogFileOptions.GatherWindow"/>).</summary>
    /// <value>The default value is 100 microseconds. Allowed: 0 to 10 milliseconds.</value>
    public TimeSpan GatherWindow { get; set; } = TimeSpan.FromMicroseconds(100);

    /// <summary>Gets or sets whether every batch of the log and the dead-letter queue is flushed to the disk before callers are released.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>Gets or sets the directory of the dead-letter files (<c>audit_dlq_*.jsonl</c>).</summary>
    /// <value>The default value is <c>audit/dlq</c> under the application's base directory.</value>
    public string DeadLetterDirectory { get; set; } = System.IO.Path.Combine(AppContext.BaseDirectory, "audit", "dlq");

    /// <summary>Gets or sets how often the background service replays the dead-letter queue into the sink;
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns background replay off.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan DeadLetterReplayInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many dead letters a replay sends to the sink at once.</summary>
    /// <value>The default value is 64. Allowed: 1 to 4096.</value>
    public int ReplayConcurrency { get; set; } = 64;
}
