using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Internal;

/// <summary>Applies the schema when the host starts. An unreachable database does not stop the host: audit events dead-letter and
/// the schema is applied by the first call that reaches the database.</summary>
internal sealed class AuditPostgreSqlSchemaService(AuditPostgreSqlDatabase database) : IHostedService
{
    private readonly ILogger _logger = database.LoggerFactory?.CreateLogger<AuditPostgreSqlSchemaService>() ?? (ILogger)NullLogger.Instance;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await database.Schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            AuditPostgreSqlLog.SchemaDeferred(_logger, ex, database.Schema.Schema);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
