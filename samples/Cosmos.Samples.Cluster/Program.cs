// Three instances of one service share isolation decisions through one Redis-protocol server (Garnet, started here on a
// free 127.0.0.1 port). The timeline: the database fails on two instances → quorum → isolated on the third; an operator
// releases it on one instance → released everywhere; Redis stops → each instance decides locally and flags its view stale;
// Redis comes back → the views converge.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cosmos.Isolation;
using Cosmos.Isolation.Redis;
using Garnet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var clock = Stopwatch.StartNew();
void Say(string who, string what) => Console.WriteLine($"{clock.Elapsed.TotalSeconds,6:F2}s  {who,-10} {what}");

var port = FreePort();
var garnet = StartGarnet(port);
Say("redis", $"Garnet listening on 127.0.0.1:{port}");

var instances = new List<Instance>();
foreach (var name in new[] { "api-1", "api-2", "api-3" })
{
    instances.Add(await Instance.StartAsync(name, $"127.0.0.1:{port},abortConnect=false,connectTimeout=500,asyncTimeout=1000,syncTimeout=1000", Say));
}

var (one, two, three) = (instances[0], instances[1], instances[2]);
await WaitAsync(() => instances.All(i => i.View.GetSnapshot().Instances.Count == 3));
Say("cluster", "3 live instances; quorum is 2 of 3");

Say("api-1", "database calls start failing");
Say("api-2", "database calls start failing");
one.DatabaseDown = true;
two.DatabaseDown = true;
await WaitAsync(() => three.Engine.IsIsolated("db"));
Say("api-3", $"db isolated by the quorum although its own calls succeed (cluster-isolated: {string.Join(",", three.View.GetSnapshot().ClusterIsolatedNodes)})");

one.DatabaseDown = false;
two.DatabaseDown = false;
Say("operator", "database repaired; release db on api-3 only");
await three.Engine.ReleaseAsync("db");
await WaitAsync(() => instances.All(i => !i.Engine.IsIsolated("db")));
Say("cluster", "db released on every instance");

Say("redis", "stopped");
garnet.Dispose();
await WaitAsync(() => instances.All(i => i.View.IsStale));
Say("cluster", "every view is stale: decisions are local");
one.DatabaseDown = true;
await WaitAsync(() => one.Engine.IsIsolated("db"));
await Task.Delay(500);
Say("api-1", $"db isolated from its own evidence; api-2 isolated: {two.Engine.IsIsolated("db")}, api-3 isolated: {three.Engine.IsIsolated("db")}; call-path errors: {instances.Sum(i => i.UnexpectedErrors)}");

garnet = StartGarnet(port);
Say("redis", "started again (empty)");
await WaitAsync(() => instances.All(i => !i.View.IsStale && i.View.GetSnapshot().Instances.Count == 3));
Say("cluster", "views converged: 3 live instances, fresh");
one.DatabaseDown = false;
await one.Engine.ReleaseAsync("db");
await WaitAsync(() => instances.All(i => !i.Engine.IsIsolated("db")));
Say("cluster", $"all clear; call-path errors over the whole run: {instances.Sum(i => i.UnexpectedErrors)}");

foreach (var instance in instances)
{
    await instance.DisposeAsync();
}

garnet.Dispose();
return 0;

static GarnetServer StartGarnet(int port)
{
    var server = new GarnetServer(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1"]);
    server.Start();
    return server;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static async Task WaitAsync(Func<bool> condition)
{
    var watch = Stopwatch.StartNew();
    while (!condition())
    {
        if (watch.Elapsed > TimeSpan.FromSeconds(30))
        {
            throw new TimeoutException("The cluster did not reach the expected state within 30 s.");
        }

        await Task.Delay(10);
    }
}

/// <summary>One instance of the service: its own container, engine and Redis connection, with a load loop calling four nodes.</summary>
internal sealed class Instance : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly CancellationTokenSource _stop = new();
    private Task _load = Task.CompletedTask;
    private long _unexpected;

    private Instance(ServiceProvider provider)
    {
        _provider = provider;
        Engine = provider.GetRequiredService<IIsolationEngine>();
        View = provider.GetRequiredService<IClusterIsolationView>();
    }

    public IIsolationEngine Engine { get; }

    public IClusterIsolationView View { get; }

    public volatile bool DatabaseDown;

    public long UnexpectedErrors => Interlocked.Read(ref _unexpected);

    public static async Task<Instance> StartAsync(string name, string redis, Action<string, string> say)
    {
        var services = new ServiceCollection();
        services.AddCosmosIsolation(options =>
        {
            options.AddNode("db", CosmicLayer.Ecosystem);
            options.AddNode("cache", CosmicLayer.Organic);
            options.AddNode("search", CosmicLayer.Organic);
            options.AddNode("mail", CosmicLayer.Organic);
            options.EvaluationInterval = TimeSpan.FromMilliseconds(100);
        });
        services.AddCosmosIsolationRedis(options =>
        {
            options.Configuration = redis;
            options.InstanceId = name;
            options.ClusterName = "sample";
            options.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
            options.PeerTimeout = TimeSpan.FromSeconds(1);
        });
        var instance = new Instance(services.BuildServiceProvider());
        instance.Engine.StateChanged += (_, e) =>
        {
            if (e.PreviousLevel != e.Level)
            {
                say(name, $"{e.NodeId}: {e.PreviousLevel} → {e.Level}");
            }
        };
        foreach (var hosted in instance._provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        instance._load = Task.Run(instance.LoadAsync);
        return instance;
    }

    private async Task LoadAsync()
    {
        string[] nodes = ["db", "cache", "search", "mail"];
        while (!_stop.IsCancellationRequested)
        {
            foreach (var node in nodes)
            {
                try
                {
                    await Engine.GetPipeline(node).ExecuteAsync(
                        static (state, _) => state.Self.DatabaseDown && state.Node == "db"
                            ? ValueTask.FromException(new IOException("connection refused"))
                            : ValueTask.CompletedTask,
                        (Self: this, Node: node));
                }
                catch (IOException)
                {
                }
                catch (NodeIsolatedException)
                {
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref _unexpected);
                }
            }

            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _load;
        foreach (var hosted in _provider.GetServices<IHostedService>())
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _provider.DisposeAsync();
        _stop.Dispose();
    }
}
