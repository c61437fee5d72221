using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Cosmos.Audit.PostgreSql.Tokens;
using Cosmos.Audit.Tests.Tokens;
using Cosmos.Audit.Tokens;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Tests.Tokens;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlRefreshTokenStoreTests(PostgreSqlFixture fixture) : RefreshTokenStoreContractTests, IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;
    private PostgreSqlRefreshTokenStore? _store;

    protected override IRefreshTokenStore Store => _store!;

    public async Task InitializeAsync()
    {
        _dataSource = await fixture.CreateDatabaseAsync();
        _store = new PostgreSqlRefreshTokenStore(_dataSource);
    }

    public Task DisposeAsync()
    {
        _store?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RotateAsync_TwoHostsRaceOneToken_ExactlyOneWinsAndReuseRevokesTheFamily()
    {
        // Two hosts: two stores, each with its own connection pool, sharing only the database.
        await using var hostASource = NpgsqlDataSource.Create(_dataSource!.ConnectionString);
        await using var hostBSource = NpgsqlDataSource.Create(_dataSource.ConnectionString);
        using var hostA = new PostgreSqlRefreshTokenStore(hostASource);
        using var hostB = new PostgreSqlRefreshTokenStore(hostBSource);
        for (var round = 0; round < 20; round++)
        {
            var token = await SignInAsync();
            var replacementA = NewHash();
            var replacementB = NewHash();
            using var start = new ManualResetEventSlim();
            var a = Task.Run(() => { start.Wait(); return hostA.RotateAsync(token, replacementA, SignIn.AddDays(1), Week); });
            var b = Task.Run(() => { start.Wait(); return hostB.RotateAsync(token, replacementB, SignIn.AddDays(1), Week); });
            start.Set();
            var results = await Task.WhenAll(a, b);

            var winner = Assert.Single(results, r => r.Succeeded);
            Assert.Single(results, r => r.Failure == RefreshFailureReason.Reused);
            var winnersToken = results[0].Succeeded ? replacementA : replacementB;
            Assert.Equal(RefreshFailureReason.Revoked, (await hostA.RotateAsync(winnersToken, NewHash(), SignIn.AddDays(1), Week)).Failure);
        }
    }

    [Fact]
    public async Task PruneAsync_ExpiredFamilies_AreDeletedWithTheirTokens()
    {
        var token = await SignInAsync(familyLifetime: TimeSpan.FromDays(1));
        var live = await SignInAsync();

        var pruned = await _store!.PruneAsync(SignIn.AddDays(2));

        Assert.True(pruned >= 1);
        Assert.Equal(RefreshFailureReason.Unknown, (await Store.RotateAsync(token, NewHash(), SignIn.AddDays(2), Week)).Failure);
        Assert.True((await Store.RotateAsync(live, NewHash(), SignIn.AddDays(2), Week)).Succeeded);
    }
}
