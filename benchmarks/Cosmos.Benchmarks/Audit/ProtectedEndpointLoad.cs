using System.Diagnostics;
using System.Globalization;

namespace Cosmos.Benchmarks.Audit;

/// <summary>An interleaved load run of <see cref="ProtectedEndpointBenchmarks"/>: rounds of N requests against each host in turn
/// (order rotated per round), so that load from other processes on a shared machine falls on all three alike; reports the
/// median requests/s of each and the median of the per-round ratios.</summary>
/// <remarks><c>dotnet run -c Release --project benchmarks/Cosmos.Benchmarks -- http-load [rounds] [connections]</c></remarks>
internal static class ProtectedEndpointLoad
{
    public static async Task RunAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        var bench = new ProtectedEndpointBenchmarks { Connections = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16 };
        bench.Setup();
        try
        {
            (string Name, Func<Task> Run)[] hosts = [("JwtBearer", bench.JwtBearer), ("CosmosBearer", bench.CosmosBearer), ("NoAuthenticationFloor", bench.NoAuthenticationFloor)];
            foreach (var (_, run) in hosts)
            {
                await run();
            }

            var perRequest = hosts.ToDictionary(h => h.Name, _ => new List<double>());
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < hosts.Length; i++)
                {
                    var (name, run) = hosts[(round + i) % hosts.Length];
                    var watch = Stopwatch.StartNew();
                    await run();
                    perRequest[name].Add(watch.Elapsed.TotalMicroseconds / ProtectedEndpointBenchmarks.RequestsPerInvoke);
                }
            }

            static double Median(IEnumerable<double> values)
            {
                var sorted = values.Order().ToArray();
                return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
            }

            Console.WriteLine($"{rounds} rounds x {ProtectedEndpointBenchmarks.RequestsPerInvoke} requests per host, {bench.Connections} connections");
            foreach (var (name, _) in hosts)
            {
                var median = Median(perRequest[name]);
                Console.WriteLine($"{name,-22} median {median,8:F1} us/request  = {1e6 / median,9:F0} requests/s   (min {perRequest[name].Min(),6:F1}, max {perRequest[name].Max(),6:F1})");
            }

            var speedup = Median(perRequest["JwtBearer"].Zip(perRequest["CosmosBearer"], (jwt, cosmos) => jwt / cosmos));
            var overhead = Median(perRequest["JwtBearer"].Zip(perRequest["CosmosBearer"], perRequest["NoAuthenticationFloor"])
                .Select(t => (t.First - t.Third) / Math.Max(t.Second - t.Third, 0.1)));
            Console.WriteLine($"CosmosBearer requests/s over JwtBearer (median of per-round ratios): {speedup:F2}x");
            Console.WriteLine($"authentication cost above the floor, JwtBearer / CosmosBearer (median per round): {overhead:F2}x");
        }
        finally
        {
            bench.Cleanup();
        }
    }
}
