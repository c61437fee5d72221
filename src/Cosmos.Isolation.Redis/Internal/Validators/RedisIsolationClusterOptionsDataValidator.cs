using Microsoft.Extensions.Options;

namespace Cosmos.Isolation.Redis.Internal.Validators;

/// <summary>Source-generated DataAnnotations validation of <see cref="RedisIsolationClusterOptions"/> (trim-safe).</summary>
[OptionsValidator]
internal sealed partial class RedisIsolationClusterOptionsDataValidator : IValidateOptions<RedisIsolationClusterOptions>
{
}
