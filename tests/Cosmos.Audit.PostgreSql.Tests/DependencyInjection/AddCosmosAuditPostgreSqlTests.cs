using System.Text.Json.Nodes;
using Cosmos.Audit.EventStore;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.PostgreSql.Documents;
using Cosmos.Audit.PostgreSql.EventStore;
using Cosmos.Audit.PostgreSql.Log;
using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Cosmos.Audit.PostgreSql.Tokens;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Tests.DependencyInjection;

[Collection(PostgreSqlCollection.Name)]
public sealed class AddCosmosAuditPostgreSqlTests(PostgreSqlFixture fixture) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cosmos-pg-di-").FullName;
    private NpgsqlDataSource? _dataSource;

    public async Task InitializeAsync() => _dataSource = await fixture.CreateDatabaseAsync();

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private ServiceProvider BuildHost(string name, bool postgreSqlFirst = false)
    {
        var services = new ServiceCollection().AddLogging().AddMetrics();
        if (postgreSqlFirst)
        {
            services.AddCosmosAuditPostgreSql(o => o.ConnectionString = _dataSource!.ConnectionString);
        }

        services.AddCosmosAudit(o =>
        {
            o.SigningKeys = [AuditSigningKey.FromBytes("k1", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray())];
            o.Jwt.Issuer = "https://issuer.test";
            o.Jwt.Audience = "cosmos-tests";
            o.RolePermissions["editor"] = ["documents.write"];
            o.AuditLog.Path = Path.Combine(_directory, name, "audit.jsonl");
            o.AuditLog.DeadLetter.Directory = Path.Combine(_directory, name, "dlq");
        });
        if (!postgreSqlFirst)
        {
            services.AddCosmosAuditPostgreSql(o => o.ConnectionString = _dataSource!.ConnectionString);
        }

        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AddCosmosAuditPostgreSql_EitherOrder_ReplacesEveryEmbeddedStore(bool postgreSqlFirst)
    {
        await using var host = BuildHost("order" + postgreSqlFirst, postgreSqlFirst);

        Assert.IsType<PostgreSqlAuditLog>(host.GetRequiredService<IAuditSink>());
        Assert.IsType<PostgreSqlEventStore>(host.GetRequiredService<IEventStore>());
        Assert.IsType<PostgreSqlRefreshTokenStore>(host.GetRequiredService<IRefreshTokenStore>());
        Assert.IsType<PostgreSqlAuditDocumentStore>(host.GetRequiredService<IAuditDocumentStore>());
        Assert.Same(host.GetRequiredService<PostgreSqlAuditLog>(), host.GetRequiredService<IAuditSink>());
    }

    [Fact]
    public async Task Pipeline_OnTwoHosts_SharesDocumentsAuditChainAndRefreshTokens()
    {
        await using var hostA = BuildHost("a");
        await using var hostB = BuildHost("b");
        foreach (var hosted in hostA.GetServices<IHostedService>().OfType<Internal.AuditPostgreSqlSchemaService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var tokens = await hostA.GetRequiredService<TokenIssuer>().IssueAsync(new UserContext("alice123", "alice") { Roles = ["editor"] });
        var created = await hostA.GetRequiredService<IAuditPipeline>().CreateAsync(tokens.AccessToken, "orders", "o1", new JsonObject { ["total"] = 1 }, "documents.write");
        Assert.Equal(AuditedWriteStatus.Succeeded, created.Status);

        // Host B sees host A's document, refreshes host A's token and appends to the same chain.
        var refreshed = await hostB.GetRequiredService<TokenIssuer>().RefreshAsync(tokens.RefreshToken);
        Assert.True(refreshed.Succeeded);
        var updated = await hostB.GetRequiredService<IAuditPipeline>().UpdateAsync(refreshed.Tokens!.AccessToken, "orders", "o1", new JsonObject { ["total"] = 2 }, "documents.write");
        Assert.Equal(AuditedWriteStatus.Succeeded, updated.Status);
        Assert.Equal(AuditPublishOutcome.Written, updated.AuditOutcome);
        Assert.Equal(RefreshFailureReason.Reused, (await hostA.GetRequiredService<TokenIssuer>().RefreshAsync(tokens.RefreshToken)).Failure);

        var log = hostA.GetRequiredService<PostgreSqlAuditLog>();
        var verification = await log.VerifyAsync();
        Assert.True(verification.IsValid, verification.ToString());
        Assert.Equal(2, verification.RecordCount);
        Assert.Equal(2, (await hostA.GetRequiredService<IAuditDocumentStore>().GetAsync("orders", "o1"))!.Version);
    }

    [Fact]
    public void AddCosmosAuditPostgreSql_InvalidSchemaName_FailsAtStartNamingTheOption()
    {
        using var services = new ServiceCollection().AddCosmosAuditPostgreSql(o => o.Schema = "Bad-Name").BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AuditPostgreSqlOptions>>().Value);

        Assert.Contains("Schema", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCosmosAuditPostgreSql_NoConnectionStringNoDataSource_ExplainsWhatIsMissing()
    {
        using var services = new ServiceCollection().AddCosmosAuditPostgreSql().BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<PostgreSqlAuditLog>());

        Assert.Contains("ConnectionString", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NpgsqlDataSource", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddCosmosAuditPostgreSql_HostsDataSource_IsUsedWhenNoConnectionString()
    {
        await using var services = new ServiceCollection().AddSingleton(_dataSource!).AddCosmosAuditPostgreSql().BuildServiceProvider();

        var stream = "di-" + Guid.NewGuid().ToString("N");
        await services.GetRequiredService<IEventStore>().AppendAsync(stream, ExpectedVersion.NoStream, [new EventData(Guid.NewGuid(), "A", "{}"u8.ToArray())]);

        // Read back through a store built directly on the host's data source: the same database.
        using var direct = new PostgreSqlEventStore(_dataSource!);
        Assert.Single(await direct.ReadStreamAsync(stream).ToListAsync());
    }
}
