namespace Cosmos.Audit.Log;

/// <summary>Signed checkpoints of an <see cref="AuditLogFile"/> (<see cref="AuditLogFileOptions.Checkpoints"/>); off while <see cref="Keys"/> is empty.</summary>
public sealed class AuditCheckpointOptions
{
    /// <summary>Gets or sets the checkpoint keys; the active one signs, all of them verify (keep retired keys listed while their checkpoints matter).</summary>
    /// <value>The default value is an empty list (no checkpoints).</value>
    public IList<AuditCheckpointKey> Keys { get; set; } = [];

    /// <summary>Gets or sets the id of the key in <see cref="Keys"/> that signs new checkpoints.</summary>
    /// <value>The default value is <see langword="null"/>, meaning the last key in <see cref="Keys"/>.</value>
    public string? ActiveKeyId { get; set; }

    /// <summary>Gets or sets how often a checkpoint is written while records arrive (one is always written on dispose);
    /// <see cref="Timeout.InfiniteTimeSpan"/> writes them only on dispose and on request.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the log's name written into each checkpoint, so a checkpoint of one log never verifies another.</summary>
    /// <value>The default value is <see langword="null"/>, meaning the log file's name.</value>
    public string? Origin { get; set; }

    /// <summary>Gets or sets where checkpoints are exported besides the log's own <c>&lt;log&gt;.checkpoints.jsonl</c> file: storage the
    /// log's writer cannot rewrite (a write-once bucket, another host, a transparency service).</summary>
    /// <value>The default value is an empty list.</value>
    public IList<IAuditCheckpointSink> Sinks { get; set; } = [];
}
