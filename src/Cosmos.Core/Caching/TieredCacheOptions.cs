using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Cosmos.Core.Caching;

/// <summary>Settings for <see cref="TieredCache"/>.</summary>
public sealed class TieredCacheOptions
{
    /// <summary>Gets or sets the L1 tier (node results).</summary>
    /// <value>The default is 5 minutes and 100 MB (100 × 2^20 bytes).</value>
    [Required]
    [ValidateObjectMembers]
    public CacheTierOptions Node { get; set; } = new() { TimeToLive = TimeSpan.FromMinutes(5), SizeLimit = 100L << 20 };

    /// <summary>Gets or sets the L2 tier (subtree results).</summary>
    /// <value>The default is 30 minutes and 500 MB.</value>
    [Required]
    [ValidateObjectMembers]
    public CacheTierOptions Subtree { get; set; } = new() { TimeToLive = TimeSpan.FromMinutes(30), SizeLimit = 500L << 20 };

    /// <summary>Gets or sets the L3 tier (whole-system results).</summary>
    /// <value>The default is 2 hours and 2 GB.</value>
    [Required]
    [ValidateObjectMembers]
    public CacheTierOptions System { get; set; } = new() { TimeToLive = TimeSpan.FromHours(2), SizeLimit = 2L << 30 };

    /// <summary>Gets or sets the function that estimates an entry's size in bytes when the caller does not give one.</summary>
    /// <value>
    /// The default is <see langword="null"/>: <c>byte[]</c> counts its length, <see cref="string"/> two bytes per char,
    /// other arrays of primitives their byte length, anything else <see cref="DefaultEntrySize"/>.
    /// </value>
    public Func<object?, long>? SizeOf { get; set; }

    /// <summary>Gets or sets the size in bytes assumed for a value the built-in estimate cannot measure.</summary>
    /// <value>The default value is 1024. Must be at least 1.</value>
    [Range(1L, long.MaxValue)]
    public long DefaultEntrySize { get; set; } = 1024;

    /// <summary>Gets or sets the minimum time between scans for expired entries in each tier.</summary>
    /// <value>The default value is 1 minute. Must be positive.</value>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "TimeSpan is one of TypeDescriptor's intrinsic types, whose converter is never trimmed; the source-generated validator parses the bounds itself.")]
    [Range(typeof(TimeSpan), "00:00:00.0000001", "10675199.02:48:05.4775807")]
    public TimeSpan ExpirationScanFrequency { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets the settings of one tier.</summary>
    /// <param name="tier">The tier.</param>
    /// <returns>The tier's settings.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tier"/> is not a defined tier.</exception>
    public CacheTierOptions GetTier(CacheTier tier) => tier switch
    {
        CacheTier.Node => Node,
        CacheTier.Subtree => Subtree,
        CacheTier.System => System,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown cache tier."),
    };
}
