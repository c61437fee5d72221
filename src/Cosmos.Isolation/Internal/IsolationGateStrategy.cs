using Polly;

namespace Cosmos.Isolation.Internal;

/// <summary>The outermost strategy of a node's pipeline: short-circuits calls while the node, its subtree or the system is isolated.</summary>
internal sealed class IsolationGateStrategy(IsolationEngine engine, NodeRuntime node) : ResilienceStrategy
{
    protected override ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        // Two volatile reads on the healthy path; the exempt property is only looked up while something is blocked.
        if (engine.GlobalBlocked && !node.ExemptFromGlobal && !IsExempt(context))
        {
            return Reject<TResult>(IsolationLevel.Global);
        }

        if (node.Blocked && !node.TryAdmit())
        {
            return Reject<TResult>(node.BlockLevel);
        }

        return callback(context, state);
    }

    private static bool IsExempt(ResilienceContext context)
        => context.Properties.TryGetValue(IsolationContext.Exempt, out var exempt) && exempt;

    private ValueTask<Outcome<TResult>> Reject<TResult>(IsolationLevel level)
    {
        engine.RecordRejection(node, level);
        return Outcome.FromExceptionAsValueTask<TResult>(new NodeIsolatedException(node.Id, level));
    }
}
