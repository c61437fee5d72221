using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings.Internal.Validators;

/// <summary>Checks the DataAnnotations of <see cref="CosmosEmbeddingsOptions"/> and the options it holds (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class CosmosEmbeddingsOptionsAnnotationsValidator : IValidateOptions<CosmosEmbeddingsOptions>
{
}
