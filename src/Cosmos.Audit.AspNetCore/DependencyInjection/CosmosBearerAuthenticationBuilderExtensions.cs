using Cosmos.Audit.AspNetCore.Authentication;
using Cosmos.Audit.AspNetCore.Authorization;
using Cosmos.Audit.AspNetCore.Http;
using Cosmos.Audit.AspNetCore.Internal;
using Cosmos.Audit.AspNetCore.Internal.Validators;
using Cosmos.Audit.AspNetCore.Problems;
using Cosmos.Audit.AspNetCore.Telemetry;
using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Cosmos bearer authentication scheme and the Cosmos permission policies.</summary>
public static class CosmosBearerAuthenticationBuilderExtensions
{
    /// <summary>Adds the Cosmos bearer scheme under <see cref="CosmosBearerDefaults.AuthenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder (<c>services.AddAuthentication()</c>).</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AuthenticationBuilder AddCosmosBearer(this AuthenticationBuilder builder) =>
        builder.AddCosmosBearer(CosmosBearerDefaults.AuthenticationScheme, configure: null);

    /// <summary>Adds the Cosmos bearer scheme under <see cref="CosmosBearerDefaults.AuthenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder (<c>services.AddAuthentication()</c>).</param>
    /// <param name="configure">Configures <see cref="CosmosBearerOptions"/>; optional.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AuthenticationBuilder AddCosmosBearer(this AuthenticationBuilder builder, Action<CosmosBearerOptions>? configure) =>
        builder.AddCosmosBearer(CosmosBearerDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the Cosmos bearer scheme: <c>Authorization: Bearer</c> tokens validated by the Cosmos.Audit
    /// <see cref="Cosmos.Audit.Tokens.AccessTokenValidator"/> (rules and cache from <c>AddCosmosAudit</c>'s
    /// <see cref="Cosmos.Audit.CosmosAuditOptions.Jwt"/>), the authenticated <see cref="UserContext"/> made current for the request,
    /// RFC 6750 challenges, and the permission policies of <see cref="AddCosmosPermissionPolicies"/>.</summary>
    /// <param name="builder">The authentication builder (<c>services.AddAuthentication()</c>).</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="configure">Configures <see cref="CosmosBearerOptions"/>; optional.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="authenticationScheme"/> is null or empty.</exception>
    public static AuthenticationBuilder AddCosmosBearer(this AuthenticationBuilder builder, string authenticationScheme, Action<CosmosBearerOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        var services = builder.Services;
        services.AddCosmosAudit();
        services.AddMetrics();
        services.TryAddSingleton<AuditAspNetCoreMetrics>();
        services.TryAddSingleton<IAccessAuditReporter, AuditLogAccessReporter>();
        ReplaceUserContextAccessor(services);
        services.AddOptionsWithValidateOnStart<CosmosBearerOptions>(authenticationScheme);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CosmosBearerOptions>, CosmosBearerOptionsDataValidator>());
        AddProblemOptions(services);
        services.AddCosmosPermissionPolicies();
        return builder.AddScheme<CosmosBearerOptions, CosmosBearerHandler>(authenticationScheme, configure);
    }

    /// <summary>Makes every permission of <see cref="Cosmos.Audit.CosmosAuditOptions.RolePermissions"/> an authorization policy of the
    /// same name (<c>[Authorize(Policy = "documents.write")]</c>, <c>.RequireAuthorization("documents.write")</c>): an
    /// authenticated caller that holds the permission through one of their roles. Policies registered by name take precedence.</summary>
    /// <remarks>Works with any authentication scheme: a principal not authenticated by the Cosmos bearer scheme is mapped from its
    /// <c>sub</c> (or name identifier), name and role claims. A host's own <see cref="IAuthorizationPolicyProvider"/> is kept, in
    /// which case it resolves permission policies itself (for example with <see cref="CosmosPermissionPolicyBuilderExtensions.RequireCosmosPermission"/>).</remarks>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddCosmosPermissionPolicies(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddCosmosAudit();
        services.AddAuthorization();
        services.AddMetrics();
        services.TryAddSingleton<AuditAspNetCoreMetrics>();
        services.TryAddSingleton<IAccessAuditReporter, AuditLogAccessReporter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, CosmosPermissionAuthorizationHandler>());

        // Only the framework's default provider is swapped; ours answers everything it would, and permission names besides.
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(IAuthorizationPolicyProvider));
        if (existing is null || existing.ImplementationType == typeof(DefaultAuthorizationPolicyProvider))
        {
            services.Replace(ServiceDescriptor.Singleton<IAuthorizationPolicyProvider, CosmosPermissionPolicyProvider>());
        }

        return services;
    }

    private static void AddProblemOptions(IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<AuditProblemOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditProblemOptions>, AuditProblemOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditProblemOptions>, AuditProblemOptionsValidator>());
    }

    // AddCosmosAudit registers the AsyncLocal accessor; the request-aware one replaces it (whichever registration came first),
    // but an accessor the host registered itself is left alone, and then no slot is put in the pipeline either.
    private static void ReplaceUserContextAccessor(IServiceCollection services)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(IUserContextAccessor));
        if (existing is null || existing.ImplementationType == typeof(AsyncLocalUserContextAccessor))
        {
            services.Replace(ServiceDescriptor.Singleton<IUserContextAccessor, HttpContextUserContextAccessor>());

            // Its per-request slot, rather than IHttpContextAccessor: registering that stops Kestrel from reusing HttpContext
            // objects between requests.
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, RequestUserStartupFilter>());
        }
    }
}
