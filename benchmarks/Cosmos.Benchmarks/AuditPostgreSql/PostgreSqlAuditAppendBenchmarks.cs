using System.Buffers;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Cosmos.Audit.Log;
using Cosmos.Audit.PostgreSql;
using Cosmos.Audit.PostgreSql.Internal;
using Cosmos.Audit.PostgreSql.Log;
using Cosmos.Audit.PostgreSql.Schema;
using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Npgsql;

namespace Cosmos.Benchmarks.AuditPostgreSql;

/// <summary>
/// Audit appends on a loopback PostgreSQL (fsync on): the group-committed <see cref="PostgreSqlAuditLog"/> under
/// <see cref="Events"/> concurrent appends, against one autocommitted INSERT per event (the baseline) writing the same
/// hash-chained records from a single writer.
/// </summary>
/// <remarks>Times are per event (OperationsPerInvoke): events/s = 1 s / Mean. Each invocation appends fresh events.</remarks>
[MemoryDiagnoser]
[InvocationCount(1)]
public class PostgreSqlAuditAppendBenchmarks
{
    private const int Events = 2000;

    private PostgreSqlServer _server = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgreSqlAuditLog _log = null!;
    private AuditEvent[] _events = [];
    private long _baselineHead;
    private byte[] _baselineHash = new byte[32];

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    [IterationSetup]
    public void NewEvents() => _events = [.. Enumerable.Range(0, Events).Select(i => AuditEvent.Create(
        AuditAction.Update, "orders", "order-" + i, "alice (alice123)|verified|ts:2026-11-30T12:00:00Z|sig:abc",
        new JsonObject { ["total"] = i, ["status"] = "open" }, new JsonObject { ["total"] = i + 1, ["status"] = "paid" }))];

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "One autocommitted INSERT per event")]
    public async Task InsertPerEvent()
    {
        var line = new ArrayBufferWriter<byte>(1024);
        var hash = new byte[32];
        await using var connection = await _dataSource.OpenConnectionAsync();
        foreach (var e in _events)
        {
            var seq = _baselineHead + 1;
            var record = AuditChain.Frame(line, seq, _baselineHash, AuditRecordHasher.SerializeEvent(e), hash);
            await using var insert = new NpgsqlCommand("INSERT INTO bench_baseline.audit_log (seq, event_id, hash, record) VALUES (@seq, @id, @hash, @record)", connection);
            insert.Parameters.AddWithValue("seq", seq);
            insert.Parameters.AddWithValue("id", e.EventId);
            insert.Parameters.AddWithValue("hash", hash);
            insert.Parameters.AddWithValue("record", record);
            await insert.ExecuteNonQueryAsync();
            _baselineHead = seq;
            (_baselineHash, hash) = (hash, _baselineHash);
        }
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "Group commit, concurrent appends")]
    public Task GroupCommit() => Task.WhenAll(_events.Select(e => _log.AppendAsync(e).AsTask()));

    private async Task SetupAsync()
    {
        _server = await PostgreSqlServer.StartAsync(durable: true);
        _dataSource = NpgsqlDataSource.Create(_server.ConnectionString);
        await AuditPostgreSqlSchema.ApplyAsync(_dataSource, "bench_baseline");
        _log = new PostgreSqlAuditLog(_dataSource, new AuditPostgreSqlOptions { Schema = "bench_group" });
    }

    private async Task CleanupAsync()
    {
        var verification = await _log.VerifyAsync();
        Console.WriteLine($"// group-commit chain after the run: {verification}");
        await _log.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _server.DisposeAsync();
    }
}
