using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cosmos.Isolation.Redis.Tests;

public sealed class OptionsValidationTests
{
    private static OptionsValidationException Fails(Action<RedisIsolationClusterOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddCosmosIsolation(o => o.AddNode("db", CosmicLayer.Ecosystem));
        services.AddCosmosIsolationRedis(configure);
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisIsolationClusterOptions>>().Value);
    }

    [Fact]
    public void Validate_PeerTimeoutBelowTwoHeartbeats_FailsNamingBoth()
    {
        var ex = Fails(o =>
        {
            o.Configuration = "127.0.0.1:1";
            o.HeartbeatInterval = TimeSpan.FromSeconds(1);
            o.PeerTimeout = TimeSpan.FromMilliseconds(1500);
        });

        Assert.Contains("PeerTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HeartbeatInterval", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-3)]
    public void Validate_QuorumBelowTwo_FailsNamingQuorum(int quorum)
    {
        var ex = Fails(o =>
        {
            o.Configuration = "127.0.0.1:1";
            o.Quorum = quorum;
        });

        Assert.Contains("Quorum", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public void Validate_BadClusterName_FailsNamingClusterName(string name)
    {
        var ex = Fails(o =>
        {
            o.Configuration = "127.0.0.1:1";
            o.ClusterName = name;
        });

        Assert.Contains("ClusterName", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NoConfigurationNorMultiplexer_FailsNamingConfiguration()
    {
        var services = new ServiceCollection();
        services.AddCosmosIsolation(o => o.AddNode("db", CosmicLayer.Ecosystem));
        services.AddCosmosIsolationRedis();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IClusterIsolationView>());
        Assert.Contains("Configuration", ex.Message, StringComparison.Ordinal);
    }
}
