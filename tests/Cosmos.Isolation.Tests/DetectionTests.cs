using Cosmos.Core;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Tests;

public sealed class DetectionTests
{
    private static TestHost CreateHost() => new(o =>
    {
        o.AddNode("noise", CosmicLayer.Quantum);
        o.AddNode("cell", CosmicLayer.Atomic);
        o.AddNode("system", CosmicLayer.Cosmos);
    });

    [Fact]
    public void ReportImpact_SameImpactOnThreeLayers_ClassifiesByEscapeVelocity()
    {
        using var host = CreateHost();

        // 0.15 ≥ 0.12 (L1) isolates; on L2 the warning level is 0.8 × 0.20 = 0.16 > 0.15, so it stays Normal; L7 is Normal.
        Assert.Equal(IsolationLevel.Local, host.Engine.ReportImpact("noise", 0.15));
        Assert.Equal(IsolationLevel.Normal, host.Engine.ReportImpact("cell", 0.15));
        Assert.Equal(IsolationLevel.Normal, host.Engine.ReportImpact("system", 0.15));

        Assert.True(host.Engine.IsIsolated("noise"));
        Assert.Equal(IsolationLevel.Local, host.Engine.GetState("noise").Level);
        Assert.False(host.Engine.IsIsolated("cell"));
        Assert.False(host.Engine.IsIsolated("system"));
        Assert.False(host.Engine.IsGloballyIsolated);
    }

    [Fact]
    public void ReportImpact_AboveWarningRatio_RaisesWarningEvent()
    {
        using var host = CreateHost();
        var events = new List<NodeStateChangedEventArgs>();
        host.Engine.StateChanged += (_, e) => events.Add(e);

        Assert.Equal(IsolationLevel.Warning, host.Engine.ReportImpact("cell", 0.17));

        var change = Assert.Single(events);
        Assert.Equal("cell", change.NodeId);
        Assert.Equal(IsolationLevel.Normal, change.PreviousLevel);
        Assert.Equal(IsolationLevel.Warning, change.Level);
        Assert.Equal(IsolationLevel.Warning, host.Engine.GetState("cell").Level);
        Assert.False(host.Engine.IsIsolated("cell"));
    }

    [Fact]
    public void ReportOutcome_FailureRateInWindow_WarnsThenIsolates()
    {
        using var host = CreateHost();

        // A leaf has no dependents: impact = 0.4 × failure rate. 9 failures in 20 calls → 0.18: warning on L2 (≥ 0.16).
        // Detection runs on each failed call (and on every evaluation tick), so the failures come last here.
        // Failures spread out (no streak reaches the breaker's 5, which would be evidence of a hard-down node on its own).
        for (var i = 0; i < 20; i++)
        {
            host.Engine.ReportOutcome("cell", success: i < 2 || i % 2 == 0, TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(IsolationLevel.Warning, host.Engine.GetState("cell").Level);
        Assert.Equal(0.18, host.Engine.GetState("cell").Impact, 12);

        // 3 more failures → 12 / 23 → impact 0.2087 ≥ 0.20: local isolation.
        for (var i = 0; i < 3; i++)
        {
            host.Engine.ReportOutcome("cell", success: false, TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(IsolationLevel.Local, host.Engine.GetState("cell").Level);
        Assert.True(host.Engine.IsIsolated("cell"));
    }

    [Fact]
    public void ReportOutcome_FailuresOutsideWindow_AreForgotten()
    {
        using var host = CreateHost();
        for (var i = 0; i < 9; i++)
        {
            host.Engine.ReportOutcome("cell", success: i == 4, TimeSpan.Zero);
        }

        host.Time.Advance(TimeSpan.FromSeconds(11)); // default window is 10 s
        for (var i = 0; i < 20; i++)
        {
            host.Engine.ReportOutcome("cell", success: true, TimeSpan.Zero);
        }

        host.Engine.ReportOutcome("cell", success: false, TimeSpan.Zero);
        Assert.Equal(IsolationLevel.Normal, host.Engine.GetState("cell").Level);
        Assert.Equal(0.4 / 21, host.Engine.GetState("cell").Impact, 12);
    }

    [Fact]
    public void ReportOutcome_BreakerStreakBelowMinimumCalls_IsEvidenceOfHardDown()
    {
        using var host = CreateHost();
        for (var i = 0; i < 4; i++)
        {
            host.Engine.ReportOutcome("cell", success: false, TimeSpan.Zero);
        }

        Assert.Equal(IsolationLevel.Normal, host.Engine.GetState("cell").Level);
        host.Engine.ReportOutcome("cell", success: false, TimeSpan.Zero);
        var state = host.Engine.GetState("cell");
        Assert.Equal(IsolationLevel.Local, state.Level);
        Assert.Equal(0.4, state.Impact, 12); // a leaf at failure rate 1: 0.4 ≥ 0.20
    }

    [Fact]
    public void ReportOutcome_SlowSuccess_CountsAgainstNode()
    {
        using var host = CreateHost();
        var slow = LayerIsolationOptions.CreateDefault(CosmicLayer.Atomic).SlowCallThreshold * 2;
        for (var i = 0; i < 10; i++)
        {
            host.Engine.ReportOutcome("cell", success: true, slow);
        }

        var state = host.Engine.GetState("cell");
        Assert.Equal(10, state.SlowCalls);
        Assert.Equal(IsolationLevel.Local, state.Level);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void ReportImpact_OutOfRange_Throws(double impact)
    {
        using var host = CreateHost();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => host.Engine.ReportImpact("cell", impact));
        Assert.Equal("impact", ex.ParamName);
    }

    [Fact]
    public void ReportImpact_UnknownNode_ThrowsNamingIt()
    {
        using var host = CreateHost();
        var ex = Assert.Throws<KeyNotFoundException>(() => host.Engine.ReportImpact("ghost", 0.1));
        Assert.Contains("ghost", ex.Message, StringComparison.Ordinal);
        Assert.False(host.Engine.IsIsolated("ghost"));
    }
}
