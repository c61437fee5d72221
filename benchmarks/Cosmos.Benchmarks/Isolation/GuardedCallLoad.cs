using System.Globalization;
using System.Runtime.InteropServices;

namespace Cosmos.Benchmarks.Isolation;

/// <summary>An interleaved run of <see cref="GuardedCallBenchmarks"/> timed by thread CPU time: rounds of N calls through
/// Polly's circuit-breaker pipeline and through a guarded call in turn (order alternating), so that descheduling by other
/// processes on a shared machine, which wall-clock timing counts, is left out; reports per-call CPU time (minimum and median
/// over rounds) and the median of the per-round ratios.</summary>
/// <remarks><c>dotnet run -c Release --project benchmarks/Cosmos.Benchmarks -- guarded-load [rounds] [calls]</c>
/// (Linux: <c>CLOCK_THREAD_CPUTIME_ID</c>).</remarks>
internal static class GuardedCallLoad
{
    private const int ThreadCpuTimeClock = 3;

    public static async Task RunAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 25;
        var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200_000;
        var bench = new GuardedCallBenchmarks();
        bench.Setup();
        try
        {
            for (var i = 0; i < 200_000; i++)
            {
                await bench.PollyCircuitBreaker();
                await bench.GuardedCall();
            }

            var polly = new List<double>();
            var guarded = new List<double>();
            var ratios = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                double pollyRound = 0, guardedRound = 0;
                for (var turn = 0; turn < 2; turn++)
                {
                    var pollyTurn = (round + turn) % 2 == 0;
                    var start = ThreadCpuNanoseconds();
                    for (var i = 0; i < count; i++)
                    {
                        _ = pollyTurn ? await bench.PollyCircuitBreaker() : await bench.GuardedCall();
                    }

                    var perCall = (ThreadCpuNanoseconds() - start) / (double)count;
                    if (pollyTurn)
                    {
                        pollyRound = perCall;
                    }
                    else
                    {
                        guardedRound = perCall;
                    }
                }

                polly.Add(pollyRound);
                guarded.Add(guardedRound);
                ratios.Add(guardedRound / pollyRound);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rounds {rounds} x {count} calls, thread CPU time per call: Polly breaker min {polly.Min():F1} ns median {Median(polly):F1} ns; guarded min {guarded.Min():F1} ns median {Median(guarded):F1} ns; ratio of minima {guarded.Min() / polly.Min():F3}; median per-round ratio {Median(ratios):F3}"));
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static long ThreadCpuNanoseconds()
    {
        _ = ClockGetTime(ThreadCpuTimeClock, out var time);
        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    // DllImport rather than LibraryImport: the struct is blittable and the benchmarks project allows no unsafe code.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
#pragma warning restore SYSLIB1054

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
