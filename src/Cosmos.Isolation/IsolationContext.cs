using Polly;

namespace Cosmos.Isolation;

/// <summary>Keys a host sets on a <see cref="ResilienceContext"/> to steer the isolation engine for one call.</summary>
public static class IsolationContext
{
    /// <summary>When set to <see langword="true"/>, the call passes the global (L7) breaker: use it for health probes.</summary>
    /// <remarks>Node and subtree isolation still apply, because the node's own circuit breaker is isolated.</remarks>
    public static readonly ResiliencePropertyKey<bool> Exempt = new("Cosmos.Isolation.Exempt");

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
