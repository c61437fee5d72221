using Cosmos.Core;
using Cosmos.Isolation.Internal;

namespace Cosmos.Isolation.Tests.Internal;

public sealed class IsolationClusterPortTests
{
    private static TestHost CreateHost() => new(options =>
    {
        options.AddNode("db", CosmicLayer.Ecosystem);
        options.AddNode("cache", CosmicLayer.Organic);
        options.AddNode("queue", CosmicLayer.Organic);
        options.AddNode("search", CosmicLayer.Organic);
    });

    [Fact]
    public async Task Impose_HealthyNode_BlocksCallsButIsNotReportedAsOwnDecision()
    {
        using var host = CreateHost();
        var port = IsolationClusterPort.For(host.Engine);

        Assert.True(port.Impose(["db"]));

        Assert.True(host.Engine.IsIsolated("db"));
        Assert.Equal(IsolationLevel.Local, host.Engine.GetState("db").Level);
        var executed = false;
        await Assert.ThrowsAsync<NodeIsolatedException>(async () => await host.Engine.GetPipeline("db").ExecuteAsync(_ => { executed = true; return ValueTask.CompletedTask; }));
        Assert.False(executed);
        var own = new List<OwnNodeDecision>();
        port.ReadOwnDecisions(own);
        Assert.Equal(IsolationLevel.Normal, own.Single(d => d.NodeId == "db").Level);
        Assert.Equal(["db"], port.Imposed);
    }

    [Fact]
    public async Task Impose_Lifted_NodePassesAgain()
    {
        using var host = CreateHost();
        var port = IsolationClusterPort.For(host.Engine);
        port.Impose(["db"]);
        Assert.False(port.Impose(["db"]));

        Assert.True(port.Impose([]));

        Assert.False(host.Engine.IsIsolated("db"));
        await TestHost.SucceedAsync(host.Engine.GetPipeline("db"));
    }

    [Fact]
    public async Task Impose_LiftedWhileOwnEvidenceIsolates_NodeStaysIsolatedByItsOwnEvidence()
    {
        using var host = CreateHost();
        var port = IsolationClusterPort.For(host.Engine);
        for (var i = 0; i < 5; i++)
        {
            await TestHost.FailAsync(host.Engine.GetPipeline("db"));
        }

        port.Impose(["db"]);
        port.Impose([]);

        Assert.True(host.Engine.IsIsolated("db"));
        var own = new List<OwnNodeDecision>();
        port.ReadOwnDecisions(own);
        Assert.Equal(IsolationLevel.Local, own.Single(d => d.NodeId == "db").Level);
    }

    [Fact]
    public async Task ReadOwnDecisions_OperatorIsolation_ReportedAsManual()
    {
        using var host = CreateHost();
        var port = IsolationClusterPort.For(host.Engine);
        await host.Engine.IsolateAsync("cache");

        var own = new List<OwnNodeDecision>();
        port.ReadOwnDecisions(own);

        var cache = own.Single(d => d.NodeId == "cache");
        Assert.Equal((IsolationLevel.Local, true, RecoveryStage.AwaitingRelease), (cache.Level, cache.Manual, cache.Recovery));
        Assert.Equal(["db", "cache", "queue", "search"], own.Select(d => d.NodeId));
    }

    [Fact]
    public void Impose_StateChangedRaisedForImposedNode()
    {
        using var host = CreateHost();
        var port = IsolationClusterPort.For(host.Engine);
        var changes = new List<NodeStateChangedEventArgs>();
        host.Engine.StateChanged += (_, e) => changes.Add(e);

        port.Impose(["queue"]);

        var change = Assert.Single(changes);
        Assert.Equal(("queue", IsolationLevel.Normal, IsolationLevel.Local), (change.NodeId, change.PreviousLevel, change.Level));
    }
}
