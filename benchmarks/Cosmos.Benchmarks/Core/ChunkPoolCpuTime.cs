using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Cosmos.Core.Memory;

namespace Cosmos.Benchmarks.Core;

/// <summary>
/// The <see cref="ChunkPoolBenchmarks"/> operations timed in process CPU time rather than wall time
/// (<c>dotnet run -c Release --project benchmarks/Cosmos.Benchmarks -- --chunkpool-cpu-time</c>).
/// </summary>
/// <remarks>
/// On a machine shared with other builds, wall-clock samples mostly measure the scheduler: a descheduled thread's wait
/// lands in the sample. CPU time counts only the time this process ran, so the best of several runs of 20 million
/// operations is a stable per-operation cost. It complements BenchmarkDotNet's figures, it does not replace them.
/// </remarks>
internal static class ChunkPoolCpuTime
{
    private const int Operations = 20_000_000;
    private const int Runs = 7;

    public static void Run(TextWriter output)
    {
        using var pool = new ChunkPool(new ChunkPoolOptions { ChunkCount = 1000, PressureCheckInterval = TimeSpan.Zero });
        using var strict = new ChunkPool(new ChunkPoolOptions { ChunkCount = 1000, PressureCheckInterval = TimeSpan.Zero, ThreadCache = false });
        var generation = new int[1];

        var baseline = Measure(static _ =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(1024);
            buffer[0] = 1;
            ArrayPool<byte>.Shared.Return(buffer);
        }, 0);
        output.WriteLine("| operation | CPU ns/op (best of 7 × 20 M) | ratio |");
        output.WriteLine("|---|---:|---:|");
        Report(output, "ArrayPool<byte>.Shared rent + return (baseline)", baseline, baseline);
        Report(output, "ChunkPool rent + return (thread cache)", Measure(static p =>
        {
            var chunk = p.Rent();
            chunk.Span[0] = 1;
            p.Return(chunk);
        }, pool), baseline);
        Report(output, "ChunkPool rent + return (ThreadCache = false)", Measure(static p =>
        {
            var chunk = p.Rent();
            chunk.Span[0] = 1;
            p.Return(chunk);
        }, strict), baseline);
        Report(output, "double-return check alone (one CAS)", Measure(static g =>
        {
            g[0] = 1;
            Interlocked.CompareExchange(ref g[0], -1, 1);
        }, generation), baseline);
    }

    private static double Measure<T>(Action<T> operation, T state)
    {
        for (var i = 0; i < 1_000_000; i++)
        {
            operation(state);
        }

        var best = double.MaxValue;
        using var process = Process.GetCurrentProcess();
        for (var run = 0; run < Runs; run++)
        {
            process.Refresh();
            var start = process.TotalProcessorTime;
            for (var i = 0; i < Operations; i++)
            {
                operation(state);
            }

            process.Refresh();
            best = Math.Min(best, (process.TotalProcessorTime - start).TotalNanoseconds / Operations);
        }

        return best;
    }

    private static void Report(TextWriter output, string name, double nanoseconds, double baseline)
        => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {nanoseconds:0.0} | {nanoseconds / baseline:0.00} |"));
}
