using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cosmos.Isolation.Redis.Tests;

/// <summary>A "Redis" that accepts connections and never answers: the slowest server there is.</summary>
public sealed class SilentRedisTests
{
    [Fact]
    public async Task SilentServer_CallsAndOperatorActionsCompleteWithoutWaiting_ViewStale()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var accepting = new CancellationTokenSource();
        var accepted = new List<Socket>();
        var acceptLoop = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await listener.AcceptSocketAsync(accepting.Token));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var services = new ServiceCollection();
        services.AddCosmosIsolation(o =>
        {
            foreach (var node in new[] { "db", "cache", "queue", "search" })
            {
                o.AddNode(node, CosmicLayer.Organic);
            }
        });
        services.AddCosmosIsolationRedis(o =>
        {
            o.Configuration = $"127.0.0.1:{port},abortConnect=false,connectTimeout=300,asyncTimeout=300,syncTimeout=300";
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(50);
            o.PeerTimeout = TimeSpan.FromMilliseconds(200);
        });
        await using var provider = services.BuildServiceProvider();
        var view = provider.GetRequiredService<IClusterIsolationView>();
        var hosted = provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().ToList();
        foreach (var service in hosted)
        {
            Assert.True(service.StartAsync(CancellationToken.None).IsCompletedSuccessfully);
        }

        var engine = provider.GetRequiredService<IIsolationEngine>();

        // Synchronous callbacks complete synchronously: nothing on the call path or in an operator action awaits Redis.
        var call = engine.GetPipeline("cache").ExecuteAsync(static _ => ValueTask.CompletedTask).AsTask();
        Assert.True(call.IsCompletedSuccessfully);
        Assert.True(engine.IsolateAsync("db").IsCompletedSuccessfully);
        Assert.True(engine.IsIsolated("db"));
        Assert.True(engine.ReleaseAsync("db").IsCompletedSuccessfully);
        Assert.False(engine.IsIsolated("db"));
        Assert.True(view.IsStale);
        var health = await provider.GetRequiredService<ClusterIsolationHealthCheck>().CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Null(view.GetSnapshot().LastContact);

        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        await accepting.CancelAsync();
        await acceptLoop;
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }
    }
}
