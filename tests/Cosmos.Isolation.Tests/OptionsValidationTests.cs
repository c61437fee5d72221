using Cosmos.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cosmos.Isolation.Tests;

public sealed class OptionsValidationTests
{
    public static TheoryData<string, string> BadDeclarations => new()
    {
        { "duplicate", "Node 'db' is declared more than once" },
        { "unknown", "Node 'repo' depends on unknown node 'dbx'" },
        { "empty", "CosmosIsolationOptions.Nodes[1]: the node id is empty" },
        { "self", "Node 'db' depends on itself" },
        { "layer", "Node 'db' has layer 9" },
        { "hash", "Node '#1'" },
        { "alternate-unknown", "Node 'db' names unknown node 'replica' as an alternate" },
        { "alternate-self", "Node 'db' names itself as an alternate" },
        { "alternate-twice", "Node 'db' names alternate 'cache' more than once" },
    };

    public static TheoryData<string, string> BadOptions => new()
    {
        { "threshold", "CosmosIsolationOptions.Layers[Compound].FailureThreshold" },
        { "break", "CosmosIsolationOptions.Layers[Atomic].BreakDuration" },
        { "slow", "CosmosIsolationOptions.Layers[Cosmos].SlowCallThreshold" },
        { "retry", "CosmosIsolationOptions.Layers[Quantum].RetryAttempts" },
        { "missing", "CosmosIsolationOptions.Layers[Organic] is missing" },
        { "tiers", "CosmosIsolationOptions.ManualThreshold" },
        { "window", "CosmosIsolationOptions.WindowDuration" },
        { "interval", "CosmosIsolationOptions.EvaluationInterval" },
        { "minimum", "MinimumCalls" },
        { "buckets", "WindowBuckets" },
        { "healing", "HealingThreshold" },
        { "share", "GlobalIsolationShare" },
        { "trials", "TrialCalls" },
        { "probes", "ProbeAttempts" },
        { "probe-timeout", "CosmosIsolationOptions.Recovery.ProbeTimeout" },
    };

    [Theory]
    [MemberData(nameof(BadDeclarations))]
    public void Start_BadDeclaration_FailsNamingTheNode(string kind, string expected)
    {
        var ex = StartWith(o =>
        {
            o.AddNode("db", kind == "layer" ? (CosmicLayer)9 : CosmicLayer.Ecosystem, kind == "self" ? ["db"] : []);
            switch (kind)
            {
                case "duplicate": o.AddNode("db", CosmicLayer.Compound); break;
                case "unknown": o.AddNode("repo", CosmicLayer.Compound, "dbx"); break;
                case "empty": o.AddNode(" ", CosmicLayer.Compound); break;
                case "hash": o.AddNode("#1", CosmicLayer.Compound); break;
                case "alternate-unknown": o.Nodes[0].WithAlternates("replica"); break;
                case "alternate-self": o.Nodes[0].WithAlternates("db"); break;
                case "alternate-twice": o.AddNode("cache", CosmicLayer.Organic); o.Nodes[0].WithAlternates("cache", "cache"); break;
            }
        });

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Start_BadOption_FailsNamingTheOption(string kind, string expected)
    {
        var ex = StartWith(o =>
        {
            switch (kind)
            {
                case "threshold": o.Layers[CosmicLayer.Compound].FailureThreshold = 1; break;
                case "break": o.Layers[CosmicLayer.Atomic].BreakDuration = TimeSpan.FromMilliseconds(100); break;
                case "slow": o.Layers[CosmicLayer.Cosmos].SlowCallThreshold = TimeSpan.Zero; break;
                case "retry": o.Layers[CosmicLayer.Quantum].RetryAttempts = 11; break;
                case "missing": o.Layers.Remove(CosmicLayer.Organic); break;
                case "tiers": o.ManualThreshold = 0.7; break;
                case "window": o.WindowDuration = TimeSpan.Zero; break;
                case "interval": o.EvaluationInterval = TimeSpan.FromHours(2); break;
                case "minimum": o.MinimumCalls = 0; break;
                case "buckets": o.WindowBuckets = 0; break;
                case "healing": o.HealingThreshold = 1.5; break;
                case "share": o.GlobalIsolationShare = 0; break;
                case "trials": o.Recovery.TrialCalls = 0; break;
                case "probes": o.Recovery.ProbeAttempts = 0; break;
                case "probe-timeout": o.Recovery.ProbeTimeout = TimeSpan.Zero; break;
            }
        });

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ValidOptions_Succeeds()
    {
        var services = new ServiceCollection().AddCosmosIsolation(o =>
        {
            o.AddNode("db", CosmicLayer.Ecosystem);
            o.AddNode("repo", CosmicLayer.Compound, "db");
        });
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.NotNull(provider.GetRequiredService<IIsolationEngine>().GetPipeline("repo"));
    }

    [Fact]
    public async Task AddNode_AtRuntime_ValidatesAndServesCalls()
    {
        using var host = new TestHost(o => o.AddNode("db", CosmicLayer.Ecosystem));
        var ex = Assert.Throws<ArgumentException>(() => host.Engine.AddNode(new IsolationNode("repo", CosmicLayer.Compound, "ghost")));
        Assert.Contains("Node 'repo' depends on unknown node 'ghost'", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => host.Engine.AddNode(new IsolationNode("db", CosmicLayer.Compound)));

        host.Engine.AddNode(new IsolationNode("repo", CosmicLayer.Compound, "db"));
        Assert.NotNull(host.Engine.GetPipeline("repo"));
        await host.Engine.IsolateAsync("db", IsolationScope.Subtree);
        Assert.True(host.Engine.IsIsolated("repo"));

        var removal = Assert.Throws<InvalidOperationException>(() => host.Engine.RemoveNode("db"));
        Assert.Contains("'repo'", removal.Message, StringComparison.Ordinal);
        Assert.True(host.Engine.RemoveNode("repo"));
        Assert.False(host.Engine.RemoveNode("repo"));
        Assert.Throws<KeyNotFoundException>(() => host.Engine.GetPipeline("repo"));
    }

    private static OptionsValidationException StartWith(Action<CosmosIsolationOptions> configure)
    {
        var services = new ServiceCollection().AddCosmosIsolation(configure);
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }
}
