using System.Text;
using BenchmarkDotNet.Attributes;
using Cosmos.Audit.Log;

namespace Cosmos.Benchmarks.Audit;

/// <summary>
/// Durable audit appends: the hash-chained, group-committed <see cref="AuditLogFile"/> against a plain <see cref="FileStream"/>
/// writing the same record bytes with one flush to disk per batch (the baseline).
/// </summary>
/// <remarks>
/// <para>Each operation is <see cref="Batch"/> concurrent appends awaited together (as concurrent requests would), so times are per event:
/// events/s = 1 s / Mean. Both sides end with their bytes on disk (fsync).</para>
/// <para>The measured log appends build each event with a fresh id from a counter, as cheap for the caller as the baseline's
/// pre-built lines. <see cref="HashChainedGroupCommitAppendWithNewGuid"/> keeps the earlier form, where the caller also draws
/// each id from <see cref="Guid.NewGuid"/>: on Linux that is a <c>getrandom</c> system call (about 340 ns on the 2-core
/// benchmark VM, nearly half the baseline's time per event), which is the caller's cost, not the log's.</para>
/// </remarks>
[MemoryDiagnoser]
public class AuditAppendBenchmarks
{
    private const int Batch = 1000;

    /// <summary>The log's gather window in microseconds (0: write as soon as the queue is momentarily empty).</summary>
    [Params(0, 100)]
    public int GatherMicroseconds { get; set; }

    private string _directory = "";
    private AuditLogFile _log = null!;
    private FileStream _plain = null!;
    private byte[][] _records = [];
    private AuditEvent[] _template = [];
    private long _nextId;

    // Synchronous setup and cleanup: the in-process toolchain does not await async ones.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "cosmos-audit-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _template = [.. Enumerable.Range(0, Batch).Select(MakeEvent)];

        // The baseline writes exactly the lines the audit log writes for the same events.
        var sample = Path.Combine(_directory, "sample.jsonl");
        await using (var log = await AuditLogFile.OpenAsync(sample))
        {
            await Task.WhenAll(_template.Select(e => log.AppendAsync(e).AsTask()));
        }

        _records = [.. File.ReadAllLines(sample).Select(line => Encoding.UTF8.GetBytes(line + "\n"))];
        _log = await AuditLogFile.OpenAsync(Path.Combine(_directory, "audit.jsonl"), new AuditLogFileOptions { GatherWindow = TimeSpan.FromMicroseconds(GatherMicroseconds) });
        _plain = new FileStream(Path.Combine(_directory, "plain.jsonl"), FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    private async Task CleanupAsync()
    {
        await _log.DisposeAsync();
        await _plain.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public void PlainFileStreamAppend()
    {
        foreach (var record in _records)
        {
            _plain.Write(record);
        }

        _plain.Flush(flushToDisk: true);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task HashChainedGroupCommitAppend() => AppendBatch(newGuid: false);

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task HashChainedGroupCommitAppendWithNewGuid() => AppendBatch(newGuid: true);

    private Task AppendBatch(bool newGuid)
    {
        var appends = new Task[Batch];
        for (var i = 0; i < appends.Length; i++)
        {
            var t = _template[i];
            var auditEvent = new AuditEvent
            {
                EventId = newGuid ? Guid.NewGuid() : NextEventId(),
                Author = t.Author,
                Action = t.Action,
                Collection = t.Collection,
                DocumentId = t.DocumentId,
                OccurredAt = t.OccurredAt,
                Before = t.Before,
                After = t.After,
            };
            appends[i] = _log.AppendAsync(auditEvent).AsTask();
        }

        return Task.WhenAll(appends);
    }

    // Unique across the run (a repeated id would be skipped as a duplicate, not appended); same 36-character text as a random id.
    private Guid NextEventId()
    {
        var n = ++_nextId;
        return new Guid((uint)n, (ushort)(n >> 32), (ushort)(n >> 48), 0x8c, 0x05, 0x3a, 0x61, 0x9e, 0x27, 0xd4, 0x10);
    }

    private static AuditEvent MakeEvent(int i) => new()
    {
        EventId = Guid.NewGuid(),
        Author = "alice.smith (alice123)|verified|ts:2026-01-01T00:00:00Z|sig:k1.Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg",
        Action = AuditAction.Update,
        Collection = "orders",
        DocumentId = "order-" + i,
        OccurredAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(i),
    };
}
