using Cosmos.Isolation.Internal;
using Polly;

namespace Cosmos.Isolation.Redis.Internal;

/// <summary>The engine hosts resolve once the cluster view is registered: every call goes straight to the local engine, and
/// operator actions, once applied here, are queued for the cluster (never awaited on Redis).</summary>
internal sealed class ClusterIsolationEngine(IIsolationEngine inner, RedisIsolationCluster cluster) : IIsolationEngine
{
    public event EventHandler<NodeStateChangedEventArgs>? StateChanged
    {
        add => inner.StateChanged += value;
        remove => inner.StateChanged -= value;
    }

    public bool IsGloballyIsolated => inner.IsGloballyIsolated;

    public ResiliencePipeline GetPipeline(string nodeId) => inner.GetPipeline(nodeId);

    public ResiliencePipeline<TResult> GetPipeline<TResult>(string nodeId) => inner.GetPipeline<TResult>(nodeId);

    public bool IsIsolated(string nodeId) => inner.IsIsolated(nodeId);

    public NodeState GetState(string nodeId) => inner.GetState(nodeId);

    public IsolationSnapshot GetSnapshot() => inner.GetSnapshot();

    public void ReportOutcome(string nodeId, bool success, TimeSpan latency) => inner.ReportOutcome(nodeId, success, latency);

    public IsolationLevel ReportImpact(string nodeId, double impact) => inner.ReportImpact(nodeId, impact);

    public void ReportHealth(string nodeId, double health) => inner.ReportHealth(nodeId, health);

    public Task EvaluateAsync(CancellationToken cancellationToken = default) => inner.EvaluateAsync(cancellationToken);

    public async Task IsolateAsync(string nodeId, IsolationScope scope = IsolationScope.Node, CancellationToken cancellationToken = default)
    {
        await inner.IsolateAsync(nodeId, scope, cancellationToken).ConfigureAwait(false);
        cluster.Publish(OperatorActions.Isolate, nodeId, scope);
    }

    public async Task ReleaseAsync(string nodeId, IsolationScope scope = IsolationScope.Node, CancellationToken cancellationToken = default)
    {
        await inner.ReleaseAsync(nodeId, scope, cancellationToken).ConfigureAwait(false);
        cluster.Publish(OperatorActions.Release, nodeId, scope);
    }

    public async Task IsolateAllAsync(CancellationToken cancellationToken = default)
    {
        await inner.IsolateAllAsync(cancellationToken).ConfigureAwait(false);
        cluster.Publish(OperatorActions.IsolateAll, null, IsolationScope.Node);
    }

    public async Task ReleaseAllAsync(CancellationToken cancellationToken = default)
    {
        await inner.ReleaseAllAsync(cancellationToken).ConfigureAwait(false);
        cluster.Publish(OperatorActions.ReleaseAll, null, IsolationScope.Node);
    }

    public void AddNode(IsolationNode node) => inner.AddNode(node);

    public bool RemoveNode(string nodeId) => inner.RemoveNode(nodeId);
}
