using System.Diagnostics;
using System.Globalization;

namespace Cosmos.Benchmarks.Audit;

/// <summary>An interleaved run of <see cref="JwtValidationBenchmarks"/>' uncached comparison: rounds of N validations by the bare
/// <c>JsonWebTokenHandler</c> and by our uncached validator in turn (order alternating), so that load from other processes on a
/// shared machine falls on both alike; reports the median of the per-round ratios.</summary>
/// <remarks><c>dotnet run -c Release --project benchmarks/Cosmos.Benchmarks -- jwt-load [rounds] [validations]</c></remarks>
internal static class JwtValidationLoad
{
    public static async Task RunAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
        var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5000;
        var bench = new JwtValidationBenchmarks();
        bench.Setup();
        try
        {
            for (var i = 0; i < 20_000; i++)
            {
                await bench.JsonWebTokenHandlerAlone();
                await bench.OursUncached();
            }

            var bare = new List<double>();
            var ours = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                for (var turn = 0; turn < 2; turn++)
                {
                    var bareTurn = (round + turn) % 2 == 0;
                    var watch = Stopwatch.StartNew();
                    for (var i = 0; i < count; i++)
                    {
                        _ = bareTurn ? await bench.JsonWebTokenHandlerAlone() : await bench.OursUncached();
                    }

                    (bareTurn ? bare : ours).Add(watch.Elapsed.TotalMicroseconds / count);
                }
            }

            static double Median(IEnumerable<double> values)
            {
                var sorted = values.Order().ToArray();
                return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
            }

            Console.WriteLine($"{rounds} rounds x {count} validations each");
            Console.WriteLine($"JsonWebTokenHandler alone  median {Median(bare),6:F2} us  min {bare.Min(),6:F2} us");
            Console.WriteLine($"ours, uncached             median {Median(ours),6:F2} us  min {ours.Min(),6:F2} us");
            Console.WriteLine($"ours / bare: median of per-round ratios {Median(bare.Zip(ours, (b, o) => o / b)):F3}, ratio of minima {ours.Min() / bare.Min():F3}");
        }
        finally
        {
            bench.Cleanup();
        }
    }
}
