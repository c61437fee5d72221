using Cosmos.Core.Caching;
using Cosmos.Core.Memory;
using Microsoft.Extensions.Options;

namespace Cosmos.Core.Internal;

/// <summary>Validates the infrastructure part of <see cref="CosmosCoreOptions"/> at start, naming each bad option by its full path.</summary>
internal sealed class InfrastructureOptionsValidator : IValidateOptions<CosmosCoreOptions>
{
    private const string Root = nameof(CosmosCoreOptions);

    public ValidateOptionsResult Validate(string? name, CosmosCoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Check(bool ok, string path, object? value, string rule)
        {
            if (!ok)
            {
                failures.Add($"{Root}.{path} = {value} is invalid: {rule}.");
            }
        }

        var pool = options.MemoryPool;
        Check(pool is not null, "MemoryPool", "null", "must be set");
        if (pool is not null)
        {
            Check(pool.ChunkSize >= 1, "MemoryPool.ChunkSize", pool.ChunkSize, "must be at least 1");
            Check(pool.ChunkCount is >= 1 and <= ChunkPoolOptions.MaxChunkCount, "MemoryPool.ChunkCount", pool.ChunkCount, $"must be in [1, {ChunkPoolOptions.MaxChunkCount}]");
            Check(pool.TrimMemoryLoadThreshold > 0 && pool.TrimMemoryLoadThreshold <= 1, "MemoryPool.TrimMemoryLoadThreshold", pool.TrimMemoryLoadThreshold, "must be in (0, 1]");
            Check(pool.PressureCheckInterval >= TimeSpan.Zero || pool.PressureCheckInterval == Timeout.InfiniteTimeSpan, "MemoryPool.PressureCheckInterval", pool.PressureCheckInterval, "must not be negative");
        }

        var cache = options.Cache;
        Check(cache is not null, "Cache", "null", "must be set");
        if (cache is not null)
        {
            foreach (var (tierName, tier) in new[] { ("Node", cache.Node), ("Subtree", cache.Subtree), ("System", cache.System) })
            {
                Check(tier is not null, $"Cache.{tierName}", "null", "must be set");
                if (tier is not null)
                {
                    Check(tier.TimeToLive > TimeSpan.Zero, $"Cache.{tierName}.{nameof(CacheTierOptions.TimeToLive)}", tier.TimeToLive, "must be positive");
                    Check(tier.SizeLimit > 0, $"Cache.{tierName}.{nameof(CacheTierOptions.SizeLimit)}", tier.SizeLimit, "must be positive");
                }
            }

            Check(cache.DefaultEntrySize >= 1, "Cache.DefaultEntrySize", cache.DefaultEntrySize, "must be at least 1");
            Check(cache.ExpirationScanFrequency > TimeSpan.Zero, "Cache.ExpirationScanFrequency", cache.ExpirationScanFrequency, "must be positive");
        }

        var executor = options.Executor;
        Check(executor is not null, "Executor", "null", "must be set");
        if (executor is not null)
        {
            Check(executor.MaxDegreeOfParallelism >= 1, "Executor.MaxDegreeOfParallelism", executor.MaxDegreeOfParallelism, "must be at least 1");
        }

        var propagation = options.Propagation;
        Check(propagation is not null, "Propagation", "null", "must be set");
        if (propagation is not null)
        {
            Check(double.IsFinite(propagation.HopDecay) && propagation.HopDecay is >= 0 and <= 1, "Propagation.HopDecay", propagation.HopDecay, "must be finite and in [0, 1]");
            Check(propagation.MaxHops >= 0, "Propagation.MaxHops", propagation.MaxHops, "must not be negative");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
