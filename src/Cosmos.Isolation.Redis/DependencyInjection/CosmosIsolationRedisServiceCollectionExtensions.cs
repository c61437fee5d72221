using Cosmos.Isolation;
using Cosmos.Isolation.Internal;
using Cosmos.Isolation.Redis;
using Cosmos.Isolation.Redis.Internal;
using Cosmos.Isolation.Redis.Internal.Validators;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes Cosmos.Isolation cluster-aware over Redis.</summary>
public static class CosmosIsolationRedisServiceCollectionExtensions
{
    /// <summary>Adds the cluster view over Redis to the isolation engine (adding the engine too, if missing): instances share their
    /// own decisions, a quorum of live instances isolates a node on every instance, and operator actions taken through
    /// <see cref="IIsolationEngine"/> apply to all instances.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets <see cref="RedisIsolationClusterOptions.Configuration"/> (unless an <see cref="IConnectionMultiplexer"/>
    /// is registered), the cluster name and the quorum; optional.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <remarks>The view runs as an <see cref="IHostedService"/>; outside a host, start it with
    /// <c>StartAsync</c> on the <see cref="IHostedService"/> instances. Resolve <see cref="IClusterIsolationView"/> for its
    /// state and register <see cref="ClusterIsolationHealthCheck"/> with the host's health checks.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddCosmosIsolationRedis(this IServiceCollection services, Action<RedisIsolationClusterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddCosmosIsolation();
        var options = services.AddOptionsWithValidateOnStart<RedisIsolationClusterOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisIsolationClusterOptions>, RedisIsolationClusterOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisIsolationClusterOptions>, RedisIsolationClusterOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<RedisIsolationClusterOptions>>().Value;
            var shared = sp.GetService<IConnectionMultiplexer>();
            Func<CancellationToken, Task<IConnectionMultiplexer>> connect;
            if (shared is not null)
            {
                connect = _ => Task.FromResult(shared);
            }
            else if (settings.Configuration is { Length: > 0 } configuration)
            {
                var parsed = ConfigurationOptions.Parse(configuration);
                // Never fail the host because Redis is down at start: the multiplexer keeps reconnecting in the background.
                parsed.AbortOnConnectFail = false;
                connect = async _ => await ConnectionMultiplexer.ConnectAsync(parsed).ConfigureAwait(false);
            }
            else
            {
                throw new OptionsValidationException(nameof(RedisIsolationClusterOptions), typeof(RedisIsolationClusterOptions),
                    [$"{nameof(RedisIsolationClusterOptions.Configuration)} is required when no IConnectionMultiplexer is registered."]);
            }

            var engine = sp.GetRequiredService<IsolationEngine>();
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger("Cosmos.Isolation.Redis") ?? NullLogger.Instance;
            return new RedisIsolationCluster(IsolationClusterPort.For(engine), settings, connect, shared is null, logger, sp.GetService<System.Diagnostics.Metrics.IMeterFactory>());
        });
        services.TryAddSingleton<IClusterIsolationView>(sp => sp.GetRequiredService<RedisIsolationCluster>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisIsolationCluster>(sp => sp.GetRequiredService<RedisIsolationCluster>()));
        services.Replace(ServiceDescriptor.Singleton<IIsolationEngine>(sp => new ClusterIsolationEngine(sp.GetRequiredService<IsolationEngine>(), sp.GetRequiredService<RedisIsolationCluster>())));
        services.TryAddSingleton<ClusterIsolationHealthCheck>();
        return services;
    }
}
