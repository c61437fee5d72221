using System.ComponentModel.DataAnnotations;

namespace Cosmos.Audit.Log;

/// <summary>Settings of an <see cref="AuditDeadLetterQueue"/>.</summary>
public sealed class AuditDeadLetterQueueOptions
{
    /// <summary>The directory that holds the <c>audit_dlq_*.jsonl</c> files; created if missing.</summary>
    /// <value>The default value is <c>audit/dlq</c> under the application's base directory.</value>
    [Required]
    public string Directory { get; set; } = Path.Combine(AppContext.BaseDirectory, "audit", "dlq");

    /// <summary>The most dead letters written and flushed together as one batch.</summary>
    /// <value>The default value is 1024 (dead letters arrive only while the sink fails, in smaller bursts than appends). Allowed: 1 to 1,048,576.</value>
    [Range(1, 1_048_576)]
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>Whether each batch is flushed to the disk (<c>fsync</c>) before its callers are released.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>How many dead letters a replay sends to the sink at once.</summary>
    /// <value>The default value is 64. Allowed: 1 to 4096.</value>
    [Range(1, 4096)]
    public int ReplayConcurrency { get; set; } = 64;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Directory, nameof(Directory));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReplayConcurrency, 1, nameof(ReplayConcurrency));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ReplayConcurrency, 4096, nameof(ReplayConcurrency));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBatchSize, 1_048_576, nameof(MaxBatchSize));
    }
}
