using Microsoft.Extensions.Options;

namespace Cosmos.Core.Memory;

/// <summary>Checks the DataAnnotations of <see cref="ChunkPoolOptions"/> (source-generated), for a pool built without DI.</summary>
[OptionsValidator]
internal sealed partial class ChunkPoolOptionsValidator : IValidateOptions<ChunkPoolOptions>
{
}
