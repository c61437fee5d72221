using Cosmos.Audit.PostgreSql.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Internal;

/// <summary>Applies the schema once per process before the first database call (when enabled); a failed attempt is retried by the next call.</summary>
internal sealed class SchemaGate : IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly bool _apply;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public SchemaGate(NpgsqlDataSource dataSource, string schema, bool apply, ILogger? logger = null)
    {
        AuditPostgreSqlSchema.ValidateName(schema, nameof(schema));
        _dataSource = dataSource;
        _schema = schema;
        _apply = apply;
        _ready = !apply;
        _logger = logger ?? NullLogger.Instance;
    }

    public NpgsqlDataSource DataSource => _dataSource;

    public string Schema => _schema;

    public ValueTask EnsureAsync(CancellationToken cancellationToken) => _ready ? ValueTask.CompletedTask : new(ApplyAsync(cancellationToken));

    public void Dispose() => _gate.Dispose();

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready || !_apply)
            {
                return;
            }

            var before = await AuditPostgreSqlSchema.ApplyAsync(_dataSource, _schema, cancellationToken).ConfigureAwait(false);
            if (before != AuditPostgreSqlSchema.CurrentVersion)
            {
                AuditPostgreSqlLog.SchemaApplied(_logger, _schema, before, AuditPostgreSqlSchema.CurrentVersion);
            }

            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }
}
