using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Internal;

/// <summary>A node's own strategy: the isolation gate in front of the node's breaker pipeline, and the outcome observer as
/// that pipeline's innermost step.</summary>
/// <remarks>
/// Gate and observer run as one strategy so a guarded call costs a single pipeline hop beyond Polly's breaker, yet the
/// order is that of separate strategies: gate → [retry] → breaker → observer → callback. The observer stays inside the
/// breaker so that the breaker's predicate sees the failure streak this call produced (which is how slow successes
/// count against the breaker), and so that calls the node's own breaker rejects never reach it, while a dependency's
/// <see cref="BrokenCircuitException"/> coming out of the callback still counts as a dependency rejection.
/// </remarks>
internal sealed class NodeGuardStrategy(IsolationEngine engine, NodeRuntime node, ResiliencePipeline breaker, TimeProvider timeProvider)
    : ResilienceStrategy
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

        return breaker.ExecuteOutcomeAsync(
            static (context, state) => state.Guard.Observe(state.Callback, context, state.State),
            context,
            (Guard: this, Callback: callback, State: state));
    }

    private static bool IsExempt(ResilienceContext context)
        => context.Properties.TryGetValue(IsolationContext.Exempt, out var exempt) && exempt;

    private ValueTask<Outcome<TResult>> Reject<TResult>(IsolationLevel level)
    {
        engine.RecordRejection(node, level);
        return Outcome.FromExceptionAsValueTask<TResult>(new NodeIsolatedException(node.Id, level));
    }

    /// <summary>Measures one call; a callback that completed synchronously is recorded without an async state machine.</summary>
    private ValueTask<Outcome<TResult>> Observe<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        var start = timeProvider.GetTimestamp();
        var pending = callback(context, state);
        if (pending.IsCompletedSuccessfully)
        {
            var outcome = pending.Result;
            Record(outcome.Exception, start, context);
            return new ValueTask<Outcome<TResult>>(outcome);
        }

        return AwaitAndRecord(pending, start, context);
    }

    private async ValueTask<Outcome<TResult>> AwaitAndRecord<TResult>(ValueTask<Outcome<TResult>> pending, long start, ResilienceContext context)
    {
        var outcome = await pending.ConfigureAwait(context.ContinueOnCapturedContext);
        Record(outcome.Exception, start, context);
        return outcome;
    }

    private void Record(Exception? exception, long start, ResilienceContext context)
    {
        var end = timeProvider.GetTimestamp();
        if (exception is not null)
        {
            if (exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref node.Cancelled);
                return;
            }

            if (exception is BrokenCircuitException)
            {
                // A dependency's open or isolated breaker (or its isolation gate): the dependency is at fault, not this node.
                Interlocked.Increment(ref node.DependencyRejections);
                return;
            }
        }

        engine.RecordOutcome(node, exception is not null, timeProvider.GetElapsedTime(start, end), end);
    }
}
