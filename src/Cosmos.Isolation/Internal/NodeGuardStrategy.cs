using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Internal;

/// <summary>A node's call path: the isolation gate in front of the node's breaker pipeline, and the outcome recorder as that
/// pipeline's innermost step. It decides nothing itself: a healthy node costs one volatile read of the published verdict;
/// everything else goes through <see cref="INodeCallObserver"/>.</summary>
/// <remarks>
/// Order: gate → [retry on L1] → Polly breaker → recorder → callback. The recorder stays inside the breaker so the breaker's
/// predicate sees the failure streak this call completed; a call the breaker itself rejects never reaches the recorder, which
/// is how such rejections are told apart and turned into evidence and a <see cref="NodeIsolatedException"/>.
/// </remarks>
internal sealed class NodeGuardStrategy(INodeCallObserver observer, NodeRuntime node, ResiliencePipeline breaker, TimeProvider timeProvider, CallClock clock)
    : ResilienceStrategy
{
    /// <summary>The node's own breaker pipeline ([retry] → breaker) that the guard runs; exposed for composition tests.</summary>
    internal ResiliencePipeline Breaker => breaker;

    protected override ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        var verdict = node.Verdict;
        return verdict.Passes ? Run(callback, context, state) : ExecuteBlocked(verdict, callback, context, state);
    }

    /// <summary>Runs a call on this node through its breaker (healthy path, admitted calls and failover).</summary>
    internal ValueTask<Outcome<TResult>> Run<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        var pending = breaker.ExecuteOutcomeAsync(
            static (context, state) => state.Guard.Observe(state.Callback, context, state.State),
            context,
            (Guard: this, Callback: callback, State: state));
        if (pending.IsCompletedSuccessfully)
        {
            var outcome = pending.Result;
            return outcome.Exception is null ? new ValueTask<Outcome<TResult>>(outcome) : new ValueTask<Outcome<TResult>>(Translate(outcome));
        }

        return AwaitAndTranslate(pending, context);
    }

    private async ValueTask<Outcome<TResult>> AwaitAndTranslate<TResult>(ValueTask<Outcome<TResult>> pending, ResilienceContext context)
        => Translate(await pending.ConfigureAwait(context.ContinueOnCapturedContext));

    /// <summary>A Polly breaker rejection that never reached the recorder came from this node's own breaker: it is evidence
    /// against the node and leaves as a <see cref="NodeIsolatedException"/>, never as Polly's exception.</summary>
    private Outcome<TResult> Translate<TResult>(Outcome<TResult> outcome)
    {
        if (outcome.Exception is not BrokenCircuitException broken || broken is NodeIsolatedException || FailureAttribution.WasObserved(broken))
        {
            return outcome;
        }

        var timestamp = timeProvider.GetTimestamp();
        Interlocked.Increment(ref node.Counters.BreakerRejections);
        node.Counters.Window.Record(timestamp, bad: true);
        observer.OnBadOutcome(node, timestamp, breakerOpens: true);
        var verdict = node.Verdict;
        return Outcome.FromException<TResult>(verdict.Passes
            ? observer.Reject(node, new NodeVerdict(IsolationLevel.Local, node.Id, null, AdmissionKind.None, 0, node, false, null))
            : observer.Reject(node, verdict));
    }

    private ValueTask<Outcome<TResult>> ExecuteBlocked<TResult, TState>(
        NodeVerdict verdict,
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        var admission = observer.Admit(node, verdict, context);
        switch (admission.Result)
        {
            case AdmissionResult.Run:
                return Run(callback, context, state);
            case AdmissionResult.Evidence:
                return RunAsEvidence(callback, context, state);
            case AdmissionResult.Route:
                observer.OnFailedOver(node, admission.Target!);
                return admission.Target!.Guard.RunRouted(callback, context, state);
            default:
                return Outcome.FromExceptionAsValueTask<TResult>(observer.Reject(node, verdict));
        }
    }

    private ValueTask<Outcome<TResult>> RunAsEvidence<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        var pending = Run(callback, context, state);
        if (pending.IsCompletedSuccessfully)
        {
            observer.OnAdmittedCallCompleted(node);
            return pending;
        }

        return AwaitEvidence(pending, context);
    }

    private async ValueTask<Outcome<TResult>> AwaitEvidence<TResult>(ValueTask<Outcome<TResult>> pending, ResilienceContext context)
    {
        var outcome = await pending.ConfigureAwait(context.ContinueOnCapturedContext);
        observer.OnAdmittedCallCompleted(node);
        return outcome;
    }

    /// <summary>Runs a call routed here from an isolated node; the callback reads <see cref="IsolationContext.RoutedTo"/> to address this node.</summary>
    internal ValueTask<Outcome<TResult>> RunRouted<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        var verdict = node.Verdict;
        if (!verdict.Passes)
        {
            // The alternate was isolated after it was chosen: no second hop, the call is rejected by the alternate.
            return Outcome.FromExceptionAsValueTask<TResult>(observer.Reject(node, verdict));
        }

        context.Properties.Set(IsolationContext.RoutedTo, node.Id);
        var pending = Run(callback, context, state);
        if (pending.IsCompletedSuccessfully)
        {
            context.Properties.Set(IsolationContext.RoutedTo, string.Empty);
            return pending;
        }

        return AwaitRouted(pending, context);
    }

    private static async ValueTask<Outcome<TResult>> AwaitRouted<TResult>(ValueTask<Outcome<TResult>> pending, ResilienceContext context)
    {
        try
        {
            return await pending.ConfigureAwait(context.ContinueOnCapturedContext);
        }
        finally
        {
            context.Properties.Set(IsolationContext.RoutedTo, string.Empty);
        }
    }

    /// <summary>Measures one call; a callback that completed synchronously is recorded without an async state machine.</summary>
    private ValueTask<Outcome<TResult>> Observe<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        // The start comes from the engine's call clock, not the real clock: one real reading per call, at the end. The start
        // may lie up to one clock resolution early, so the slow-call threshold errs early by at most that, never late
        // (the bound is worked out on CallClock).
        var start = clock.Now;
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

    /// <summary>Records one outcome. A fast success costs the call's only real clock reading (its end), one window increment
    /// and a read of the streak.</summary>
    private void Record(Exception? exception, long start, ResilienceContext context)
    {
        var end = timeProvider.GetTimestamp();
        var counters = node.Counters;
        if (exception is null)
        {
            if (end - start <= node.SlowCallTicks)
            {
                counters.Window.Record(end, bad: false);
                if (Volatile.Read(ref counters.ConsecutiveFailures) != 0)
                {
                    Volatile.Write(ref counters.ConsecutiveFailures, 0);
                }

                return;
            }

            // A stale call clock (a delayed timer) would make the next calls look slow too: this reading is fresher.
            clock.Publish(end);
            Interlocked.Increment(ref counters.SlowCalls);
        }
        else if (exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref counters.Cancelled);
            return;
        }
        else if (FailureAttribution.BelongsToOther(exception, node))
        {
            // A dependency failed (its own pipeline counted it) or rejected the call: the dependency is at fault.
            Interlocked.Increment(ref counters.DependencyFailures);
            return;
        }
        else
        {
            Interlocked.Increment(ref counters.Failures);
        }

        counters.Window.Record(end, bad: true);
        var streak = Interlocked.Increment(ref counters.ConsecutiveFailures);
        observer.OnBadOutcome(node, end, streak >= node.Settings.FailureThreshold);
    }
}
