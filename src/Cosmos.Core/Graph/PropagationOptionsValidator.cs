using Microsoft.Extensions.Options;

namespace Cosmos.Core.Graph;

/// <summary>Checks the DataAnnotations of <see cref="PropagationOptions"/> (source-generated), for a propagator built without DI.</summary>
[OptionsValidator]
internal sealed partial class PropagationOptionsValidator : IValidateOptions<PropagationOptions>
{
}
