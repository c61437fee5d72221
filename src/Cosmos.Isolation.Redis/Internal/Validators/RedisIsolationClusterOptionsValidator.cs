using Microsoft.Extensions.Options;

namespace Cosmos.Isolation.Redis.Internal.Validators;

/// <summary>Cross-field rules of <see cref="RedisIsolationClusterOptions"/>.</summary>
internal sealed class RedisIsolationClusterOptionsValidator : IValidateOptions<RedisIsolationClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisIsolationClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.HeartbeatInterval < TimeSpan.FromMilliseconds(10) || options.HeartbeatInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{nameof(RedisIsolationClusterOptions.HeartbeatInterval)} ({options.HeartbeatInterval}) must be between 10 ms and 1 minute.");
        }

        if (options.PeerTimeout < 2 * options.HeartbeatInterval)
        {
            // One lost heartbeat must not make a live peer look dead.
            failures.Add($"{nameof(RedisIsolationClusterOptions.PeerTimeout)} ({options.PeerTimeout}) must be at least twice {nameof(RedisIsolationClusterOptions.HeartbeatInterval)} ({options.HeartbeatInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
