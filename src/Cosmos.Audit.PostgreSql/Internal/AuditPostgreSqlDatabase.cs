using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Internal;

/// <summary>The container's one view of the database: the data source (the host's, or one built and owned from the connection
/// string), the schema gate and the package metrics shared by every store.</summary>
internal sealed class AuditPostgreSqlDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _owned;

    public AuditPostgreSqlDatabase(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AuditPostgreSqlOptions>>().Value;
        NpgsqlDataSource dataSource;
        if (options.ConnectionString is { Length: > 0 } connectionString)
        {
            dataSource = _owned = NpgsqlDataSource.Create(connectionString);
        }
        else
        {
            dataSource = services.GetService<NpgsqlDataSource>() ?? throw new InvalidOperationException(
                $"Cosmos.Audit.PostgreSql needs a database: set {nameof(AuditPostgreSqlOptions)}.{nameof(AuditPostgreSqlOptions.ConnectionString)} "
                + "or register an NpgsqlDataSource in the service collection.");
        }

        var loggerFactory = services.GetService<ILoggerFactory>();
        Options = options;
        LoggerFactory = loggerFactory;
        Schema = new SchemaGate(dataSource, options.Schema, options.ApplySchemaOnStart, loggerFactory?.CreateLogger<SchemaGate>());
        Metrics = new AuditPostgreSqlMetrics(services.GetService<IMeterFactory>());
    }

    public AuditPostgreSqlOptions Options { get; }

    public ILoggerFactory? LoggerFactory { get; }

    public SchemaGate Schema { get; }

    public AuditPostgreSqlMetrics Metrics { get; }

    public async ValueTask DisposeAsync()
    {
        Schema.Dispose();
        Metrics.Dispose();
        if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }
}
