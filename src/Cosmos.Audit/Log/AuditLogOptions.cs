using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Log;

/// <summary>Audit log and dead-letter settings used by <c>AddCosmosAudit</c> (<see cref="CosmosAuditOptions.AuditLog"/>): the
/// log file's path and its <see cref="File"/> settings, the <see cref="DeadLetter"/> queue's settings, and the background replay.</summary>
/// <remarks>The file and queue settings are the very option types <see cref="AuditLogFile.OpenAsync"/> and
/// <see cref="AuditDeadLetterQueue"/> take, so a default is written once and means the same with or without dependency injection.</remarks>
public sealed class AuditLogOptions
{
    /// <summary>Gets or sets the path of the hash-chained JSONL audit log; its directory is created if missing.</summary>
    /// <value>The default value is <c>audit/audit.jsonl</c> under the application's base directory.</value>
    [Required]
    public string Path { get; set; } = System.IO.Path.Combine(AppContext.BaseDirectory, "audit", "audit.jsonl");

    /// <summary>Gets or sets the log file's group commit, durability and checkpoint settings.</summary>
    /// <value>The default value is an <see cref="AuditLogFileOptions"/> with its documented defaults.</value>
    [Required]
    [ValidateObjectMembers]
    public AuditLogFileOptions File { get; set; } = new();

    /// <summary>Gets or sets the dead-letter queue's directory, batching, durability and replay settings.</summary>
    /// <value>The default value is an <see cref="AuditDeadLetterQueueOptions"/> with its documented defaults.</value>
    [Required]
    [ValidateObjectMembers]
    public AuditDeadLetterQueueOptions DeadLetter { get; set; } = new();

    /// <summary>Gets or sets how often the background service replays the dead-letter queue into the sink;
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns background replay off.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan DeadLetterReplayInterval { get; set; } = TimeSpan.FromSeconds(30);
}
