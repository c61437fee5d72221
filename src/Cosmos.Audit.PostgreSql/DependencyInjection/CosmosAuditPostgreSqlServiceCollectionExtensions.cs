using Cosmos.Audit.EventStore;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.PostgreSql;
using Cosmos.Audit.PostgreSql.Documents;
using Cosmos.Audit.PostgreSql.EventStore;
using Cosmos.Audit.PostgreSql.Internal;
using Cosmos.Audit.PostgreSql.Internal.Validators;
using Cosmos.Audit.PostgreSql.Log;
using Cosmos.Audit.PostgreSql.Tokens;
using Cosmos.Audit.Tokens;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Moves Cosmos.Audit's storage to PostgreSQL with one call.</summary>
public static class CosmosAuditPostgreSqlServiceCollectionExtensions
{
    /// <summary>Stores the audit log, documents, the event store and refresh tokens in PostgreSQL, replacing the embedded defaults
    /// (<see cref="IAuditSink"/>, <see cref="IAuditDocumentStore"/>, <see cref="IEventStore"/>, <see cref="IRefreshTokenStore"/>)
    /// whether it is called before or after <c>AddCosmosAudit</c>; the dead-letter queue and its replay stay as configured there.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the connection string (or leave it unset to use the container's <c>NpgsqlDataSource</c>), schema and batching.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddCosmosAuditPostgreSql(this IServiceCollection services, Action<AuditPostgreSqlOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptionsWithValidateOnStart<AuditPostgreSqlOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditPostgreSqlOptions>, AuditPostgreSqlOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AuditPostgreSqlDatabase(sp));
        services.TryAddSingleton(sp =>
        {
            var db = sp.GetRequiredService<AuditPostgreSqlDatabase>();
            return new PostgreSqlAuditLog(db.Schema, db.Options, db.LoggerFactory, db.Metrics, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(sp =>
        {
            var db = sp.GetRequiredService<AuditPostgreSqlDatabase>();
            return new PostgreSqlEventStore(db.Schema, db.Options, sp.GetRequiredService<TimeProvider>(), db.LoggerFactory, db.Metrics);
        });
        services.TryAddSingleton(sp =>
        {
            var db = sp.GetRequiredService<AuditPostgreSqlDatabase>();
            return new PostgreSqlRefreshTokenStore(db.Schema, db.LoggerFactory, db.Metrics);
        });
        services.TryAddSingleton(sp =>
        {
            var db = sp.GetRequiredService<AuditPostgreSqlDatabase>();
            return new PostgreSqlAuditDocumentStore(db.Schema, sp.GetRequiredService<TimeProvider>(), db.Metrics);
        });

        services.Replace(ServiceDescriptor.Singleton<IAuditSink>(sp => sp.GetRequiredService<PostgreSqlAuditLog>()));
        services.Replace(ServiceDescriptor.Singleton<IEventStore>(sp => sp.GetRequiredService<PostgreSqlEventStore>()));
        services.Replace(ServiceDescriptor.Singleton<IRefreshTokenStore>(sp => sp.GetRequiredService<PostgreSqlRefreshTokenStore>()));
        services.Replace(ServiceDescriptor.Singleton<IAuditDocumentStore>(sp => sp.GetRequiredService<PostgreSqlAuditDocumentStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AuditPostgreSqlSchemaService>());
        return services;
    }
}
