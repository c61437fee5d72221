// A cluster instance for the cluster tests: four nodes under steady load, commands on stdin, one answer line per command.
//   fail <node> | heal <node>          the node's calls start or stop failing here
//   isolate <node> | release <node> | isolate-all | release-all   operator actions through IIsolationEngine
//   state <node>                       "state isolated=<bool> level=<level> cluster=<bool> stale=<bool> live=<n> errors=<n> calls=<n>"
//   quit
using System.Collections.Concurrent;
using System.Globalization;
using Cosmos.Core.Layers;
using Cosmos.Isolation;
using Cosmos.Isolation.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var redis = args[0];
var instanceId = args[1];
string[] nodes = ["db", "cache", "queue", "search"];
var failing = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

var services = new ServiceCollection();
services.AddCosmosIsolation(options =>
{
    foreach (var node in nodes)
    {
        options.AddNode(node, CosmicLayerFor(node));
    }

    options.EvaluationInterval = TimeSpan.FromMilliseconds(100);
    options.WindowDuration = TimeSpan.FromSeconds(2);
    foreach (var layer in options.Layers.Values)
    {
        layer.BreakDuration = TimeSpan.FromSeconds(1);
        layer.RetryAttempts = 0;
    }
});
services.AddCosmosIsolationRedis(options =>
{
    options.Configuration = redis;
    options.InstanceId = instanceId;
    options.ClusterName = args.Length > 2 ? args[2] : "tests";
    options.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
    options.PeerTimeout = TimeSpan.FromMilliseconds(1000);
});

await using var provider = services.BuildServiceProvider();
var engine = provider.GetRequiredService<IIsolationEngine>();
var view = provider.GetRequiredService<IClusterIsolationView>();
foreach (var hosted in provider.GetServices<IHostedService>())
{
    await hosted.StartAsync(CancellationToken.None);
}

long unexpected = 0;
long calls = 0;
using var stop = new CancellationTokenSource();
var load = Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        foreach (var node in nodes)
        {
            try
            {
                await engine.GetPipeline(node).ExecuteAsync(
                    static (state, _) => state.failing.GetValueOrDefault(state.node)
                        ? ValueTask.FromException(new InvalidOperationException("simulated outage"))
                        : ValueTask.CompletedTask,
                    (failing, node));
            }
            catch (InvalidOperationException ex) when (ex.Message == "simulated outage")
            {
            }
            catch (NodeIsolatedException)
            {
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref unexpected);
                await Console.Error.WriteLineAsync($"unexpected: {ex}");
            }

            Interlocked.Increment(ref calls);
        }

        await Task.Delay(5);
    }
});

Console.WriteLine("ready");
while (Console.ReadLine() is { } line)
{
    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (parts.Length == 0)
    {
        continue;
    }

    try
    {
        switch (parts[0])
        {
            case "fail":
                failing[parts[1]] = true;
                Console.WriteLine("ok");
                break;
            case "heal":
                failing[parts[1]] = false;
                Console.WriteLine("ok");
                break;
            case "isolate":
                await engine.IsolateAsync(parts[1]);
                Console.WriteLine("ok");
                break;
            case "release":
                await engine.ReleaseAsync(parts[1]);
                Console.WriteLine("ok");
                break;
            case "isolate-all":
                await engine.IsolateAllAsync();
                Console.WriteLine("ok");
                break;
            case "release-all":
                await engine.ReleaseAllAsync();
                Console.WriteLine("ok");
                break;
            case "state":
                var snapshot = view.GetSnapshot();
                var state = engine.GetState(parts[1]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"state isolated={engine.IsIsolated(parts[1])} level={state.Level} cluster={snapshot.ClusterIsolatedNodes.Contains(parts[1])} stale={snapshot.IsStale} live={(snapshot.IsStale ? 0 : snapshot.Instances.Count)} errors={Interlocked.Read(ref unexpected)} calls={Interlocked.Read(ref calls)}"));
                break;
            case "quit":
                await stop.CancelAsync();
                await load;
                foreach (var hosted in provider.GetServices<IHostedService>())
                {
                    await hosted.StopAsync(CancellationToken.None);
                }

                Console.WriteLine("bye");
                return 0;
            default:
                Console.WriteLine($"error unknown command {parts[0]}");
                break;
        }
    }
    catch (Exception ex)
    {
        Console.WriteLine($"error {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
    }
}

return 0;

static CosmicLayer CosmicLayerFor(string node) => node == "db" ? CosmicLayer.Ecosystem : CosmicLayer.Organic;
