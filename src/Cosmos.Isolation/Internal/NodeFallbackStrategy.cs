using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Internal;

/// <summary>Answers with the node's declared fallback when the call was short-circuited (isolation, open breaker) and,
/// where the layer asks for algorithm substitution, when it failed.</summary>
internal sealed class NodeFallbackStrategy<TResult>(NodeRuntime node, Func<Exception, TResult> fallback) : ResilienceStrategy<TResult>
{
    protected override ValueTask<Outcome<TResult>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        // A call that completed synchronously is answered without an async state machine.
        var pending = callback(context, state);
        return pending.IsCompletedSuccessfully
            ? new ValueTask<Outcome<TResult>>(Handle(pending.Result))
            : AwaitAndHandle(pending, context);
    }

    private async ValueTask<Outcome<TResult>> AwaitAndHandle(ValueTask<Outcome<TResult>> pending, ResilienceContext context)
        => Handle(await pending.ConfigureAwait(context.ContinueOnCapturedContext));

    private Outcome<TResult> Handle(Outcome<TResult> outcome)
    {
        var handled = outcome.Exception switch
        {
            null => false,
            BrokenCircuitException => true,
            OperationCanceledException => false,
            _ => node.Settings.FallbackOnFailure,
        };
        if (!handled)
        {
            return outcome;
        }

        try
        {
            return Outcome.FromResult(fallback(outcome.Exception!));
        }
#pragma warning disable CA1031 // A throwing fallback becomes the call's outcome, as with Polly's own fallback strategy.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Outcome.FromException<TResult>(ex);
        }
    }
}
