using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cosmos.Isolation.Redis.Tests;

/// <summary>One cluster instance inside the test process (its own container and Redis connection), for tests that look inside.</summary>
internal sealed class ClusterInstance : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private bool _disposed;

    private ClusterInstance(ServiceProvider provider)
    {
        _provider = provider;
        Engine = provider.GetRequiredService<IIsolationEngine>();
        View = provider.GetRequiredService<IClusterIsolationView>();
    }

    public IIsolationEngine Engine { get; }

    public IClusterIsolationView View { get; }

    public IServiceProvider Services => _provider;

    public static async Task<ClusterInstance> StartAsync(RedisServer server, string cluster, string instanceId, Action<IServiceCollection>? extra = null)
    {
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
            o.Configuration = server.Configuration;
            o.ClusterName = cluster;
            o.InstanceId = instanceId;
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
            o.PeerTimeout = TimeSpan.FromMilliseconds(1000);
        });
        extra?.Invoke(services);
        var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return new ClusterInstance(provider);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var hosted in _provider.GetServices<IHostedService>())
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _provider.DisposeAsync();
    }
}
