using Cosmos.Audit.PostgreSql.Schema;
using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Tests.Schema;

[Collection(PostgreSqlCollection.Name)]
public sealed class AuditPostgreSqlSchemaTests(PostgreSqlFixture fixture)
{
    [Fact]
    public async Task ApplyAsync_Twice_MigratesOnceAndRecordsTheVersion()
    {
        await using var dataSource = await fixture.CreateDatabaseAsync();

        var first = await AuditPostgreSqlSchema.ApplyAsync(dataSource, "app_audit");
        var second = await AuditPostgreSqlSchema.ApplyAsync(dataSource, "app_audit");

        Assert.Equal(0, first);
        Assert.Equal(AuditPostgreSqlSchema.CurrentVersion, second);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM app_audit.schema_version");
        Assert.Equal((long)AuditPostgreSqlSchema.CurrentVersion, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ApplyAsync_ManyHostsAtOnce_AllSucceed()
    {
        await using var dataSource = await fixture.CreateDatabaseAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => AuditPostgreSqlSchema.ApplyAsync(dataSource)));

        Assert.Single(results, v => v == 0);
    }

    [Fact]
    public async Task GetScript_RunTwiceByHand_IsIdempotentAndMatchesApply()
    {
        await using var dataSource = await fixture.CreateDatabaseAsync();
        var script = AuditPostgreSqlSchema.GetScript();

        for (var i = 0; i < 2; i++)
        {
            await using var command = dataSource.CreateCommand(script);
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(AuditPostgreSqlSchema.CurrentVersion, await AuditPostgreSqlSchema.ApplyAsync(dataSource));
    }

    [Fact]
    public async Task ApplyAsync_NewerDatabase_RefusesNamingBothVersions()
    {
        await using var dataSource = await fixture.CreateDatabaseAsync();
        await AuditPostgreSqlSchema.ApplyAsync(dataSource);
        await using (var command = dataSource.CreateCommand("INSERT INTO cosmos_audit.schema_version (version) VALUES (99)"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => AuditPostgreSqlSchema.ApplyAsync(dataSource));

        Assert.Contains("version 99", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Public")]
    [InlineData("1abc")]
    [InlineData("a;drop table x")]
    [InlineData("")]
    public void GetScript_InvalidSchemaName_ThrowsNamingTheArgument(string schema)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => AuditPostgreSqlSchema.GetScript(schema));

        Assert.Equal("schema", ex.ParamName);
    }

    [Fact]
    public void GetWriterRoleScript_NeverGrantsUpdateOrDeleteOnTheLog()
    {
        var script = AuditPostgreSqlSchema.GetWriterRoleScript();

        Assert.Contains("GRANT SELECT, INSERT ON cosmos_audit.audit_log", script, StringComparison.Ordinal);
        Assert.Contains("REVOKE UPDATE, DELETE, TRUNCATE ON cosmos_audit.audit_log", script, StringComparison.Ordinal);
    }
}
