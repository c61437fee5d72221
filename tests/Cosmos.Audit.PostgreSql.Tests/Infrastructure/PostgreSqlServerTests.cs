namespace Cosmos.Audit.PostgreSql.Tests.Infrastructure;

public sealed class PostgreSqlServerTests
{
    [Fact]
    public async Task StartAsync_NoBinaries_FailsWithTheInstallCommandInsteadOfSkipping()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSqlServer.StartAsync(binaryDirectories: ["/nonexistent/postgresql/bin"]));

        Assert.Contains("apt-get install -y postgresql", ex.Message, StringComparison.Ordinal);
        Assert.Contains("COSMOS_PG_BIN", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_ThenStartServerAsync_KeepsTheData()
    {
        await using var server = await PostgreSqlServer.StartAsync();
        await using (var connection = new Npgsql.NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand("CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)", connection);
            await create.ExecuteNonQueryAsync();
        }

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var refused = new Npgsql.NpgsqlConnection(server.ConnectionString + ";Pooling=false");
            await refused.OpenAsync();
        });
        await server.StartServerAsync();

        await using var again = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await again.OpenAsync();
        await using var read = new Npgsql.NpgsqlCommand("SELECT v FROM kept", again);
        Assert.Equal(42, await read.ExecuteScalarAsync());
    }
}
