namespace Cosmos.Embeddings.Caching;

/// <summary>Settings of a <see cref="CachingEmbeddingGenerator"/>.</summary>
public sealed class EmbeddingCacheOptions
{
    /// <summary>The most embeddings kept; the least recently used beyond it are compacted away. Each entry counts as size 1.</summary>
    /// <value>The default value is 10,000.</value>
    public long SizeLimit { get; set; } = 10_000;

    /// <summary>How long an embedding stays cached after it is stored; <see langword="null"/> keeps it until evicted by size.</summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan? TimeToLive { get; set; } = TimeSpan.FromHours(24);
}
