using System.ComponentModel.DataAnnotations;

namespace Cosmos.Audit.Log;

/// <summary>Settings of an <see cref="AuditLogFile"/>.</summary>
public sealed class AuditLogFileOptions
{
    /// <summary>The most appends written and flushed together as one batch.</summary>
    /// <value>The default value is 4096. Allowed: 1 to 1,048,576.</value>
    [Range(1, 1_048_576)]
    public int MaxBatchSize { get; set; } = 4096;

    /// <summary>Whether each batch is flushed through the OS cache to the disk (<c>fsync</c>) before its appenders are released.</summary>
    /// <value>The default value is <see langword="true"/>; turn off only for tests or logs whose loss on power failure is acceptable.</value>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>How long the writer waits for one more append before it writes the batch: a batch keeps growing while
    /// appends arrive less than this apart. A lone append waits this long at most; zero writes as soon as the queue is empty.</summary>
    /// <value>The default value is 100 microseconds. Allowed: 0 to 10 milliseconds.</value>
    public TimeSpan GatherWindow { get; set; } = TimeSpan.FromMicroseconds(100);

    /// <summary>Gets or sets the signed checkpoints the log writes (off until a key is configured).</summary>
    /// <value>The default value is an <see cref="AuditCheckpointOptions"/> without keys.</value>
    [Required]
    public AuditCheckpointOptions Checkpoints { get; set; } = new();

    /// <summary>Gets or sets the clock for checkpoint times and intervals.</summary>
    /// <value>The default value is <see langword="null"/>, meaning <see cref="TimeProvider.System"/>.</value>
    public TimeProvider? TimeProvider { get; set; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Checkpoints, nameof(Checkpoints));
        if (Checkpoints.Interval <= TimeSpan.Zero && Checkpoints.Interval != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(Checkpoints), Checkpoints.Interval, "The checkpoint interval must be positive or Timeout.InfiniteTimeSpan.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBatchSize, 1_048_576, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(GatherWindow, TimeSpan.Zero, nameof(GatherWindow));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(GatherWindow, TimeSpan.FromMilliseconds(10), nameof(GatherWindow));
    }
}
