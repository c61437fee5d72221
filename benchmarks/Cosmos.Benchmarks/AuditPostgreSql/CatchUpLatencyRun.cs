using System.Diagnostics;
using Cosmos.Audit.EventStore;
using Cosmos.Audit.PostgreSql.EventStore;
using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Npgsql;

namespace Cosmos.Benchmarks.AuditPostgreSql;

/// <summary>
/// A measured console run (BenchmarkDotNet reports means per invocation, not a latency distribution per event): the time from
/// the start of an append to the moment a catch-up subscriber on another data source (another "host") receives the event, over
/// LISTEN/NOTIFY, on a loopback PostgreSQL with fsync on. Baseline for comparison: the append's own duration (commit included).
/// Run with <c>dotnet run -c Release --project benchmarks/Cosmos.Benchmarks -- pg-catchup-latency</c>.
/// </summary>
internal static class CatchUpLatencyRun
{
    public static async Task RunAsync(int samples = 1000)
    {
        await using var server = await PostgreSqlServer.StartAsync(durable: true);
        await using var writerSource = NpgsqlDataSource.Create(server.ConnectionString);
        await using var readerSource = NpgsqlDataSource.Create(server.ConnectionString);
        using var writer = new PostgreSqlEventStore(writerSource);
        using var reader = new PostgreSqlEventStore(readerSource);
        var stream = "latency";
        await writer.AppendAsync(stream, ExpectedVersion.NoStream, [new EventData(Guid.NewGuid(), "Warmup", "{}"u8.ToArray())]);

        using var cts = new CancellationTokenSource();
        var received = new long[samples + 1];
        var sent = new long[samples + 1];
        var appendDone = new long[samples + 1];
        var count = 0;
        var done = new TaskCompletionSource();
        using var arrived = new SemaphoreSlim(0);
        var subscriber = Task.Run(async () =>
        {
            await foreach (var e in reader.SubscribeToAllAsync(1, cts.Token))
            {
                received[e.Version - 1] = Stopwatch.GetTimestamp();
                arrived.Release();
                if (++count == samples)
                {
                    done.TrySetResult();
                }
            }
        });

        for (var i = 1; i <= samples; i++)
        {
            sent[i] = Stopwatch.GetTimestamp();
            await writer.AppendAsync(stream, i, [new EventData(Guid.NewGuid(), "Tick", "{}"u8.ToArray())]);
            appendDone[i] = Stopwatch.GetTimestamp();

            // One event in flight at a time, so each sample is a wake-up from idle, not a catch-up read of a backlog.
            await arrived.WaitAsync();
        }

        await done.Task;
        await cts.CancelAsync();
        await subscriber.ContinueWith(static _ => { }, TaskScheduler.Default);

        var latency = Enumerable.Range(1, samples).Select(i => Stopwatch.GetElapsedTime(sent[i], received[i]).TotalMilliseconds).Order().ToArray();
        var append = Enumerable.Range(1, samples).Select(i => Stopwatch.GetElapsedTime(sent[i], appendDone[i]).TotalMilliseconds).Order().ToArray();
        var afterCommit = Enumerable.Range(1, samples).Select(i => Stopwatch.GetElapsedTime(appendDone[i], received[i]).TotalMilliseconds).Order().ToArray();
        Console.WriteLine($"samples: {samples}");
        Console.WriteLine($"append -> subscriber: p50 {Percentile(latency, 0.50):F3} ms, p99 {Percentile(latency, 0.99):F3} ms, max {latency[^1]:F3} ms");
        Console.WriteLine($"append returned -> subscriber (negative: delivered before the append call returned): p50 {Percentile(afterCommit, 0.50):F3} ms, p99 {Percentile(afterCommit, 0.99):F3} ms");
        Console.WriteLine($"append alone (baseline): p50 {Percentile(append, 0.50):F3} ms, p99 {Percentile(append, 0.99):F3} ms");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
