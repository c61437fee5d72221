using System.Diagnostics;
using System.Globalization;

namespace Cosmos.Benchmarks.Audit;

/// <summary>An interleaved load run of <see cref="ProtectedEndpointBenchmarks"/>: rounds of N requests against each host in turn
/// (order rotated per round), so that load from other processes on a shared machine falls on all of them alike; reports the
/// median requests/s of each and the median of the per-round ratios. Beside wall-clock time each round also records the process's
/// CPU time (client and server together, so the same load-client cost is in every host's figure) and the bytes allocated: on a
/// machine shared with other work, wall-clock rounds swing with the neighbours' load while CPU time per request does not.</summary>
/// <remarks><c>dotnet run -c Release --project benchmarks/Cosmos.Benchmarks -- http-load [rounds] [connections] [httpclient|raw] [rs256]</c>:
/// the load client is <see cref="HttpClient"/> (the default, as in <see cref="ProtectedEndpointBenchmarks"/>) or
/// <see cref="RawHttpLoadClient"/>, a lean keep-alive socket client that leaves more of the two cores to the server.</remarks>
internal static class ProtectedEndpointLoad
{
    public static async Task RunAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        var bench = new ProtectedEndpointBenchmarks { Connections = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16 };
        var raw = args.Skip(3).Contains("raw");
        bench.Algorithm = args.Skip(3).Contains("rs256") ? "RS256" : "HS256";
        bench.Setup();
        var clients = raw ? bench.CreateRawClients() : default;
        try
        {
            (string Name, Func<Task> Run)[] hosts = raw
                ? [("JwtBearer", () => clients.JwtBearer.RunAsync(ProtectedEndpointBenchmarks.RequestsPerInvoke)),
                   ("CosmosBearer", () => clients.CosmosBearer.RunAsync(ProtectedEndpointBenchmarks.RequestsPerInvoke)),
                   ("NoAuthenticationFloor", () => clients.NoAuthenticationFloor.RunAsync(ProtectedEndpointBenchmarks.RequestsPerInvoke)),
                   ("FrameworkOnlyScheme", () => clients.FrameworkOnlyScheme.RunAsync(ProtectedEndpointBenchmarks.RequestsPerInvoke))]
                : [("JwtBearer", bench.JwtBearer), ("CosmosBearer", bench.CosmosBearer), ("NoAuthenticationFloor", bench.NoAuthenticationFloor),
                   ("FrameworkOnlyScheme", bench.FrameworkOnlyScheme)];
            foreach (var (_, run) in hosts)
            {
                await run();
            }

            var perRequest = hosts.ToDictionary(h => h.Name, _ => new List<double>());
            var cpuPerRequest = hosts.ToDictionary(h => h.Name, _ => new List<double>());
            var bytesPerRequest = hosts.ToDictionary(h => h.Name, _ => new List<double>());
            using var process = Process.GetCurrentProcess();
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < hosts.Length; i++)
                {
                    var (name, run) = hosts[(round + i) % hosts.Length];
                    process.Refresh();
                    var cpu = process.TotalProcessorTime;
                    var allocated = GC.GetTotalAllocatedBytes(precise: false);
                    var watch = Stopwatch.StartNew();
                    await run();
                    var elapsed = watch.Elapsed;
                    var bytes = GC.GetTotalAllocatedBytes(precise: false) - allocated;
                    process.Refresh();
                    perRequest[name].Add(elapsed.TotalMicroseconds / ProtectedEndpointBenchmarks.RequestsPerInvoke);
                    cpuPerRequest[name].Add((process.TotalProcessorTime - cpu).TotalMicroseconds / ProtectedEndpointBenchmarks.RequestsPerInvoke);
                    bytesPerRequest[name].Add((double)bytes / ProtectedEndpointBenchmarks.RequestsPerInvoke);
                }
            }

            static double Median(IEnumerable<double> values)
            {
                var sorted = values.Order().ToArray();
                return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
            }

            Console.WriteLine($"{rounds} rounds x {ProtectedEndpointBenchmarks.RequestsPerInvoke} requests per host, {bench.Connections} connections, {(raw ? "raw socket" : "HttpClient")} load client, {bench.Algorithm} token");
            foreach (var (name, _) in hosts)
            {
                var median = Median(perRequest[name]);
                Console.WriteLine($"{name,-22} median {median,8:F1} us/request  = {1e6 / median,9:F0} requests/s   (min {perRequest[name].Min(),6:F1}, max {perRequest[name].Max(),6:F1})");
            }

            foreach (var (name, _) in hosts)
            {
                Console.WriteLine($"{name,-22} median {Median(cpuPerRequest[name]),8:F1} us CPU/request (process, client included), {Median(bytesPerRequest[name]),7:F0} B/request");
            }

            var cpuSpeedup = Median(cpuPerRequest["JwtBearer"].Zip(cpuPerRequest["CosmosBearer"], (jwt, cosmos) => jwt / cosmos));
            var speedup = Median(perRequest["JwtBearer"].Zip(perRequest["CosmosBearer"], (jwt, cosmos) => jwt / cosmos));
            var overhead = Median(perRequest["JwtBearer"].Zip(perRequest["CosmosBearer"], perRequest["NoAuthenticationFloor"])
                .Select(t => (t.First - t.Third) / Math.Max(t.Second - t.Third, 0.1)));
            Console.WriteLine($"CosmosBearer requests/s over JwtBearer (median of per-round ratios): {speedup:F2}x");
            Console.WriteLine($"authentication cost above the floor, JwtBearer / CosmosBearer (median per round): {overhead:F2}x");
            Console.WriteLine($"CosmosBearer CPU time per request under JwtBearer's (median of per-round ratios): {cpuSpeedup:F2}x");
            var ceiling = Median(perRequest["JwtBearer"].Zip(perRequest["FrameworkOnlyScheme"], (jwt, framework) => jwt / framework));
            var aboveFramework = Median(perRequest["CosmosBearer"].Zip(perRequest["FrameworkOnlyScheme"], (cosmos, framework) => cosmos - framework));
            var frameworkAboveFloor = Median(perRequest["FrameworkOnlyScheme"].Zip(perRequest["NoAuthenticationFloor"], (framework, floor) => framework - floor));
            Console.WriteLine($"ceiling: FrameworkOnlyScheme requests/s over JwtBearer (median of per-round ratios): {ceiling:F2}x");
            Console.WriteLine($"FrameworkOnlyScheme above the floor {frameworkAboveFloor:F1} us/request, CosmosBearer above FrameworkOnlyScheme {aboveFramework:F1} us/request (medians per round)");
        }
        finally
        {
            clients.JwtBearer?.Dispose();
            clients.CosmosBearer?.Dispose();
            clients.NoAuthenticationFloor?.Dispose();
            clients.FrameworkOnlyScheme?.Dispose();
            bench.Cleanup();
        }
    }
}
