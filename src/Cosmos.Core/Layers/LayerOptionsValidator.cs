using Microsoft.Extensions.Options;

namespace Cosmos.Core.Layers;

/// <summary>Checks the DataAnnotations of <see cref="LayerOptions"/> (source-generated), for <see cref="LayerModel.Create"/>.</summary>
[OptionsValidator]
internal sealed partial class LayerOptionsValidator : IValidateOptions<LayerOptions>
{
}
