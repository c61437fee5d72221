using Cosmos.Audit;
using Cosmos.Audit.EventStore;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Tokens.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the embedded stores: refresh tokens and the event store (a host replaces them by registering its own first,
/// or with a database adapter such as Cosmos.Audit.PostgreSql).</summary>
public static partial class CosmosAuditServiceCollectionExtensions
{
    static partial void AddStores(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosAuditOptions>, RefreshTokenOptionsValidator>());
        services.TryAddSingleton<IRefreshTokenStore, InMemoryRefreshTokenStore>();
        services.TryAddSingleton<IEventStore>(sp => new InMemoryEventStore(sp.GetRequiredService<TimeProvider>()));
    }
}
