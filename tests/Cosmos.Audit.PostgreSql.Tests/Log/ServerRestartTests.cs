using Cosmos.Audit.EventStore;
using Cosmos.Audit.Log;
using Cosmos.Audit.PostgreSql.EventStore;
using Cosmos.Audit.PostgreSql.Log;
using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Npgsql;

namespace Cosmos.Audit.PostgreSql.Tests.Log;

/// <summary>The server goes away mid-run: events dead-letter, and the replay makes the table whole, exactly once.
/// It stops its server, so it has one of its own.</summary>
public sealed class ServerRestartTests : IAsyncLifetime
{
    private PostgreSqlServer? _server;
    private string? _directory;

    public async Task InitializeAsync()
    {
        _server = await PostgreSqlServer.StartAsync();
        _directory = Directory.CreateTempSubdirectory("cosmos-pg-dlq-").FullName;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory!, recursive: true);
    }

    [Fact]
    public async Task PublishAsync_ServerRestartedMidRun_DeadLettersThenReplaysExactlyOnce()
    {
        const int Total = 3_000;
        var server = _server!;
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        await using var log = new PostgreSqlAuditLog(dataSource);
        await using var deadLetters = new AuditDeadLetterQueue(new AuditDeadLetterQueueOptions { Directory = _directory!, FlushToDisk = false });
        using var publisher = new AuditPublisher(log, deadLetters);
        var events = Enumerable.Range(1, Total).Select(PostgreSqlAuditLogTests.NewEvent).ToArray();
        var outcomes = new AuditPublishOutcome[Total];
        var next = -1;
        var restarted = new TaskCompletionSource();

        var publishers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Total)
            {
                outcomes[i] = await publisher.PublishAsync(events[i]);
            }
        })).ToArray();
        var operatorTask = Task.Run(async () =>
        {
            while (Volatile.Read(ref next) < Total / 3)
            {
                await Task.Delay(1);
            }

            await server.StopAsync();
            while (Volatile.Read(ref next) < 2 * Total / 3)
            {
                await Task.Delay(1);
            }

            await server.StartServerAsync();
            restarted.SetResult();
        });
        await Task.WhenAll(publishers);
        await operatorTask;
        await restarted.Task;

        var deadLettered = outcomes.Count(o => o == AuditPublishOutcome.DeadLettered);
        Assert.True(deadLettered > 0, "the outage should have dead-lettered some events");
        Assert.Equal(deadLettered, deadLetters.Count);

        var replay = await publisher.ReplayDeadLettersAsync();
        var again = await publisher.ReplayDeadLettersAsync();

        Assert.Equal(0, replay.Failed);
        Assert.Equal(deadLettered, replay.Written + replay.AlreadyPresent);
        Assert.Equal(0, again.Written);
        Assert.Equal(0, deadLetters.Count);
        var verification = await log.VerifyAsync();
        Assert.True(verification.IsValid, verification.ToString());
        Assert.Equal(Total, verification.RecordCount);
        await using var command = dataSource.CreateCommand("SELECT count(DISTINCT event_id) FROM cosmos_audit.audit_log WHERE event_id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", events.Select(e => e.EventId).ToArray());
        Assert.Equal((long)Total, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task SubscribeToAllAsync_ServerRestarted_ReconnectsAndResumesWithoutGapOrRepeat()
    {
        var server = _server!;
        await using var writerSource = NpgsqlDataSource.Create(server.ConnectionString);
        await using var readerSource = NpgsqlDataSource.Create(server.ConnectionString);
        using var writer = new PostgreSqlEventStore(writerSource);
        using var reader = new PostgreSqlEventStore(readerSource);
        var stream = "restart-" + Guid.NewGuid().ToString("N");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new List<long>();
        var firstFive = new TaskCompletionSource();
        var subscription = Task.Run(async () =>
        {
            await foreach (var e in reader.SubscribeToAllAsync(0, cts.Token))
            {
                received.Add(e.Version);
                if (received.Count == 5)
                {
                    firstFive.TrySetResult();
                }

                if (received.Count == 10)
                {
                    return;
                }
            }
        });

        for (var v = 0; v < 5; v++)
        {
            await writer.AppendAsync(stream, v, [new EventData(Guid.NewGuid(), "Before", "{}"u8.ToArray())]);
        }

        await firstFive.Task.WaitAsync(cts.Token);
        await server.StopAsync();
        await server.StartServerAsync();
        for (var v = 5; v < 10; v++)
        {
            // The writer's pooled connections died with the server; the first attempt may fail on one of them.
            try
            {
                await writer.AppendAsync(stream, v, [new EventData(Guid.NewGuid(), "After", "{}"u8.ToArray())]);
            }
            catch (NpgsqlException)
            {
                await writer.AppendAsync(stream, v, [new EventData(Guid.NewGuid(), "After", "{}"u8.ToArray())]);
            }
        }

        await subscription.WaitAsync(cts.Token);

        Assert.Equal(Enumerable.Range(1, 10).Select(v => (long)v), received);
    }
}
