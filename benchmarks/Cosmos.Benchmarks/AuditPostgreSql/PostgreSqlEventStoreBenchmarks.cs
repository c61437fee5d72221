using BenchmarkDotNet.Attributes;
using Cosmos.Audit.EventStore;
using Cosmos.Audit.PostgreSql.EventStore;
using Cosmos.Audit.PostgreSql.Schema;
using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Npgsql;

namespace Cosmos.Benchmarks.AuditPostgreSql;

/// <summary>Event store appends on a loopback PostgreSQL (fsync on): one event per append (the baseline: one commit per event)
/// against 100 events per append, and read-forward of a 10,000-event stream against one raw SELECT of the same rows.</summary>
/// <remarks>Times are per event (OperationsPerInvoke).</remarks>
[MemoryDiagnoser]
[InvocationCount(1)]
public class PostgreSqlEventStoreBenchmarks
{
    private const int AppendEvents = 1000;
    private const int StreamLength = 10_000;
    private static readonly byte[] Payload = "{\"orderId\":\"o-1\",\"total\":42.5,\"currency\":\"EUR\",\"lines\":3}"u8.ToArray();

    private PostgreSqlServer _server = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgreSqlEventStore _store = null!;
    private string _readStream = "";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = AppendEvents, Description = "Append, 1 event per append")]
    public async Task AppendOneByOne()
    {
        var stream = "s-" + Guid.NewGuid().ToString("N");
        for (var v = 0; v < AppendEvents; v++)
        {
            await _store.AppendAsync(stream, v, [new EventData(Guid.NewGuid(), "OrderPlaced", Payload)]);
        }
    }

    [Benchmark(OperationsPerInvoke = AppendEvents, Description = "Append, 100 events per append")]
    public async Task AppendHundreds()
    {
        var stream = "s-" + Guid.NewGuid().ToString("N");
        for (var v = 0; v < AppendEvents; v += 100)
        {
            await _store.AppendAsync(stream, v, [.. Enumerable.Range(0, 100).Select(_ => new EventData(Guid.NewGuid(), "OrderPlaced", Payload))]);
        }
    }

    [Benchmark(OperationsPerInvoke = StreamLength, Description = "Read forward, raw SELECT")]
    public async Task<long> ReadRawSelect()
    {
        long bytes = 0;
        await using var command = _dataSource.CreateCommand(
            "SELECT stream_id, version, position, event_id, event_type, data, metadata, recorded_at FROM bench.events WHERE stream_id = @s ORDER BY version");
        command.Parameters.AddWithValue("s", _readStream);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            bytes += reader.GetFieldValue<byte[]>(5).Length + reader.GetString(0).Length + reader.GetGuid(3).GetHashCode() % 2;
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = StreamLength, Description = "Read forward, ReadStreamAsync")]
    public async Task<long> ReadStream()
    {
        long bytes = 0;
        await foreach (var e in _store.ReadStreamAsync(_readStream))
        {
            bytes += e.Data.Length;
        }

        return bytes;
    }

    private async Task SetupAsync()
    {
        _server = await PostgreSqlServer.StartAsync(durable: true);
        _dataSource = NpgsqlDataSource.Create(_server.ConnectionString);
        await AuditPostgreSqlSchema.ApplyAsync(_dataSource, "bench");
        _store = new PostgreSqlEventStore(_dataSource, new Cosmos.Audit.PostgreSql.AuditPostgreSqlOptions { Schema = "bench" });
        _readStream = "read-" + Guid.NewGuid().ToString("N");
        for (var v = 0; v < StreamLength; v += 1000)
        {
            await _store.AppendAsync(_readStream, v, [.. Enumerable.Range(0, 1000).Select(_ => new EventData(Guid.NewGuid(), "OrderPlaced", Payload))]);
        }
    }

    private async Task CleanupAsync()
    {
        _store.Dispose();
        await _dataSource.DisposeAsync();
        await _server.DisposeAsync();
    }
}
