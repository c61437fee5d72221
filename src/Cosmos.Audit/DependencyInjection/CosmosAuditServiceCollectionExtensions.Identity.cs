using Cosmos.Audit;
using Cosmos.Audit.Authorization;
using Cosmos.Audit.Authors;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Stamping;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the identity features: user context, stamping, author strings, tokens and RBAC.</summary>
public static partial class CosmosAuditServiceCollectionExtensions
{
    static partial void AddIdentity(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosAuditOptions>, IdentityOptionsValidator>());
        services.TryAddSingleton(sp => new IdentityMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<IUserContextAccessor, AsyncLocalUserContextAccessor>();
        services.TryAddSingleton(sp => new AuditStamper(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IUserContextAccessor>()));
        services.TryAddSingleton<IAuditAuthorizationService, RolePermissionAuthorizationService>();
        services.TryAddSingleton<AuditKeyRing>();
        services.TryAddSingleton(sp => new AuthorStringSigner(
            sp.GetRequiredService<AuditKeyRing>(),
            sp.GetRequiredService<IOptions<CosmosAuditOptions>>().Value.AuthorStringMaxAge,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new AccessTokenValidator(
            sp.GetRequiredService<AuditKeyRing>(),
            sp.GetRequiredService<IOptions<CosmosAuditOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IdentityMetrics>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<AccessTokenValidator>()));
        services.TryAddSingleton(sp => new TokenIssuer(
            sp.GetRequiredService<AuditKeyRing>(),
            sp.GetRequiredService<IOptions<CosmosAuditOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IdentityMetrics>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<TokenIssuer>(),
            sp.GetRequiredService<IRefreshTokenStore>()));
    }
}
