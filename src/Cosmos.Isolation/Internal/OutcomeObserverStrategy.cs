using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Internal;

/// <summary>The innermost strategy of a node's pipeline: measures each call and records its outcome and latency.</summary>
/// <remarks>It sits inside the circuit breaker so that the breaker's predicate sees the failure streak this call produced,
/// which is how slow successes count against the breaker.</remarks>
internal sealed class OutcomeObserverStrategy(IsolationEngine engine, NodeRuntime node, TimeProvider timeProvider) : ResilienceStrategy
{
    protected override ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
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

        engine.RecordOutcome(node, exception is not null, timeProvider.GetElapsedTime(start, end), end);
    }
}
