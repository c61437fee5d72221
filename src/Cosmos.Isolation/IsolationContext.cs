using Polly;

namespace Cosmos.Isolation;

/// <summary>Keys a host sets on a <see cref="ResilienceContext"/> to steer the isolation engine for one call.</summary>
public static class IsolationContext
{
    /// <summary>When set to <see langword="true"/>, the call passes the global (L7) breaker: use it for health probes.</summary>
    /// <remarks>Node and subtree isolation still apply, because the node's own circuit breaker is isolated.</remarks>
    public static readonly ResiliencePropertyKey<bool> Exempt = new("Cosmos.Isolation.Exempt");

    /// <summary>Set by a node's pipeline when the call was routed to one of the node's alternates (failover): the id of the
    /// alternate that runs the callback. Read it with <see cref="GetTargetNode"/>.</summary>
    public static readonly ResiliencePropertyKey<string> RoutedTo = new("Cosmos.Isolation.RoutedTo");

    /// <summary>The node a callback should address: the alternate the call was routed to, or <paramref name="nodeId"/> when it was not routed.</summary>
    /// <param name="context">The context the callback received.</param>
    /// <param name="nodeId">The id of the node whose pipeline runs the call.</param>
    /// <returns>The alternate's id during failover; otherwise <paramref name="nodeId"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static string GetTargetNode(ResilienceContext context, string nodeId)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Properties.TryGetValue(RoutedTo, out var target) && !string.IsNullOrEmpty(target) ? target : nodeId;
    }

    /// <summary>Marks <paramref name="context"/> as exempt from global isolation and returns it.</summary>
    /// <param name="context">The context to mark.</param>
    /// <returns>The same context.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static ResilienceContext MarkExempt(ResilienceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Properties.Set(Exempt, true);
        return context;
    }
}
