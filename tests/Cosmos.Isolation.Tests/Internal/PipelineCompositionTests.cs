using Cosmos.Core;
using Cosmos.Isolation.Internal;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Testing;

namespace Cosmos.Isolation.Tests.Internal;

/// <summary>The pipelines a host receives are composed as documented: fallback outside the guard, the guard alone on the
/// untyped pipeline, and behind it the node's own breaker, with a retry in front of it on L1 only.</summary>
public sealed class PipelineCompositionTests
{
    [Fact]
    public void GetPipeline_Untyped_HoldsOnlyTheGuard()
    {
        using var host = new TestHost(o => o.AddNode("db", CosmicLayer.Ecosystem));

        var descriptor = host.Engine.GetPipeline("db").GetPipelineDescriptor();

        var strategy = Assert.Single(descriptor.Strategies);
        Assert.IsType<NodeGuardStrategy>(strategy.StrategyInstance);
    }

    [Fact]
    public void GetPipeline_TypedWithFallback_FallbackRunsOutsideTheGuard()
    {
        using var host = new TestHost(o => o.AddNode("db", CosmicLayer.Ecosystem).WithFallback<string>(_ => "fallback"));

        var descriptor = host.Engine.GetPipeline<string>("db").GetPipelineDescriptor();

        Assert.Collection(
            descriptor.Strategies,
            s => Assert.IsType<NodeFallbackStrategy<string>>(s.StrategyInstance),
            s => Assert.IsType<NodeGuardStrategy>(s.StrategyInstance));
    }

    [Fact]
    public void GetPipeline_TypedWithoutFallback_IsTheGuardAlone()
    {
        using var host = new TestHost(o => o.AddNode("db", CosmicLayer.Ecosystem));

        var descriptor = host.Engine.GetPipeline<int>("db").GetPipelineDescriptor();

        var strategy = Assert.Single(descriptor.Strategies);
        Assert.IsType<NodeGuardStrategy>(strategy.StrategyInstance);
    }

    [Theory]
    [InlineData(CosmicLayer.Atomic)]
    [InlineData(CosmicLayer.Molecular)]
    [InlineData(CosmicLayer.Ecosystem)]
    [InlineData(CosmicLayer.Cosmos)]
    public void Breaker_AboveQuantum_IsOneCircuitBreakerWithManualControl(CosmicLayer layer)
    {
        using var host = new TestHost(o => o.AddNode("node", layer));

        var breaker = BreakerOf(host, "node");

        var strategy = Assert.Single(breaker.Strategies);
        var options = Assert.IsType<CircuitBreakerStrategyOptions>(strategy.Options);
        Assert.NotNull(options.ManualControl);
        Assert.NotNull(options.StateProvider);
    }

    [Fact]
    public void Breaker_Quantum_RetriesInFrontOfTheBreaker()
    {
        using var host = new TestHost(o => o.AddNode("noise", CosmicLayer.Quantum));

        var breaker = BreakerOf(host, "noise");

        Assert.Collection(
            breaker.Strategies,
            s => Assert.IsType<RetryStrategyOptions>(s.Options),
            s => Assert.IsType<CircuitBreakerStrategyOptions>(s.Options));
    }

    private static ResiliencePipelineDescriptor BreakerOf(TestHost host, string nodeId)
    {
        var guard = Assert.IsType<NodeGuardStrategy>(Assert.Single(host.Engine.GetPipeline(nodeId).GetPipelineDescriptor().Strategies).StrategyInstance);
        return guard.Breaker.GetPipelineDescriptor();
    }
}
