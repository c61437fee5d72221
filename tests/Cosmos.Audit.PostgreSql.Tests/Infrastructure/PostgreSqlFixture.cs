using Npgsql;

namespace Cosmos.Audit.PostgreSql.Tests.Infrastructure;

/// <summary>One throwaway server for the whole test assembly; each test class takes its own database on it.</summary>
public sealed class PostgreSqlFixture : IAsyncLifetime
{
    private readonly List<NpgsqlDataSource> _dataSources = [];
    private PostgreSqlServer? _server;
    private int _databases;

    public PostgreSqlServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await PostgreSqlServer.StartAsync();

    /// <summary>A fresh database, so rows of one test class never meet another's.</summary>
    public async Task<NpgsqlDataSource> CreateDatabaseAsync()
    {
        var name = "test_" + Interlocked.Increment(ref _databases);
        var dataSource = NpgsqlDataSource.Create(await Server.CreateDatabaseAsync(name));
        lock (_dataSources)
        {
            _dataSources.Add(dataSource);
        }

        return dataSource;
    }

    public async Task DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlFixture>
{
    public const string Name = "PostgreSQL";
}
