namespace Cosmos.Core.Caching;

/// <summary>A snapshot of one cache tier's counters.</summary>
/// <param name="Tier">The tier.</param>
/// <param name="Entries">Entries currently stored.</param>
/// <param name="Size">Sum of the stored entries' sizes in bytes.</param>
/// <param name="Hits">Lookups that found a live entry.</param>
/// <param name="Misses">Lookups that found nothing (or an expired entry).</param>
/// <param name="Evictions">Entries removed because they expired or to make room (explicit removals and replacements excluded).</param>
public readonly record struct CacheTierStatistics(CacheTier Tier, long Entries, long Size, long Hits, long Misses, long Evictions);
