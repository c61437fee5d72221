using Cosmos.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

// Registers the seven-layer model and the validation of its options.
public static partial class CosmosCoreServiceCollectionExtensions
{
    static partial void AddLayers(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosCoreOptions>, LayerOptionsValidator>());
        services.TryAddSingleton(sp => LayerModel.Create(sp.GetRequiredService<IOptions<CosmosCoreOptions>>().Value));
    }
}
