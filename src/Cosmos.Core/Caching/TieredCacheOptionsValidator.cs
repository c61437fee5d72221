using Microsoft.Extensions.Options;

namespace Cosmos.Core.Caching;

/// <summary>Checks the DataAnnotations of <see cref="TieredCacheOptions"/> and its tiers (source-generated), for a cache built without DI.</summary>
[OptionsValidator]
internal sealed partial class TieredCacheOptionsValidator : IValidateOptions<TieredCacheOptions>
{
}
