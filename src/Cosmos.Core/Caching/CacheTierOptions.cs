using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;

namespace Cosmos.Core.Caching;

/// <summary>Time to live and capacity of one <see cref="CacheTier"/>.</summary>
public sealed class CacheTierOptions
{
    /// <summary>Gets or sets how long an entry lives after it is written (absolute expiration).</summary>
    /// <value>Defaults: 5 minutes (Node), 30 minutes (Subtree), 2 hours (System). Must be positive.</value>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "TimeSpan is one of TypeDescriptor's intrinsic types, whose converter is never trimmed; the source-generated validator parses the bounds itself.")]
    [Range(typeof(TimeSpan), "00:00:00.0000001", "10675199.02:48:05.4775807")]
    public TimeSpan TimeToLive { get; set; }

    /// <summary>Gets or sets the tier's capacity as a sum of entry sizes, in bytes.</summary>
    /// <value>Defaults: 100 MB (Node), 500 MB (Subtree), 2 GB (System). Must be positive.</value>
    [Range(1L, long.MaxValue)]
    public long SizeLimit { get; set; }
}
