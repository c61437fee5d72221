using Cosmos.Audit.EventStore;
using Cosmos.Audit.PostgreSql.EventStore;
using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Cosmos.Audit.Tests.EventStore;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Tests.EventStore;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlEventStoreTests(PostgreSqlFixture fixture) : EventStoreContractTests, IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;
    private PostgreSqlEventStore? _store;

    protected override IEventStore Store => _store!;

    public async Task InitializeAsync()
    {
        _dataSource = await fixture.CreateDatabaseAsync();
        _store = new PostgreSqlEventStore(_dataSource, new AuditPostgreSqlOptions { ReadBatchSize = 7 });
    }

    public Task DisposeAsync()
    {
        _store?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ReadStreamAsync_MoreEventsThanOnePage_ReadsEveryPage()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedVersion.NoStream, Enumerable.Range(1, 20).Select(i => Event("E" + i)).ToList());

        var events = await Store.ReadStreamAsync(stream, 2).ToListAsync();

        Assert.Equal(Enumerable.Range(2, 19).Select(v => (long)v), events.Select(e => e.Version));
    }

    [Fact]
    public async Task SubscribeToAllAsync_OtherStoreInstanceAppends_WakesOnNotify()
    {
        // A second store over its own data source plays another host: only LISTEN/NOTIFY can wake the subscriber.
        await using var otherHostSource = NpgsqlDataSource.Create(_dataSource!.ConnectionString);
        using var otherHost = new PostgreSqlEventStore(otherHostSource);
        var stream = NewStream();
        var head = 0L;
        await foreach (var e in Store.ReadAllAsync())
        {
            head = e.Position;
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = Task.Run(async () =>
        {
            await foreach (var e in Store.SubscribeToAllAsync(head, cts.Token))
            {
                if (e.StreamId == stream)
                {
                    return e;
                }
            }

            throw new InvalidOperationException("unreachable");
        });

        await otherHost.AppendAsync(stream, ExpectedVersion.NoStream, [Event("FromOtherHost")]);

        Assert.Equal("FromOtherHost", (await first).EventType);
    }
}
