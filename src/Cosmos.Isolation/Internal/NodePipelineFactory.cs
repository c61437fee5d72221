using Cosmos.Core;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Cosmos.Isolation.Internal;

/// <summary>Builds a node's Polly pipelines: guard (gate) → [retry on L1] → circuit breaker → recorder → host callback.</summary>
/// <remarks>The node pipeline holds one strategy, <see cref="NodeGuardStrategy"/>, which is both the gate and the recorder:
/// it runs the node's breaker pipeline ([retry] → breaker) with the recorder as its innermost callback.</remarks>
internal static class NodePipelineFactory
{
    private static readonly ValueTask<bool> True = new(true);
    private static readonly ValueTask<bool> False = new(false);

    public static void Build(INodeCallObserver observer, NodeRuntime node, TimeProvider timeProvider, CallClock clock)
    {
        // The breaker reads the engine's call clock, not the provider: in our configuration it needs the time only for the break
        // duration, and the call clock keeps it to within one resolution without a clock read per outcome (see CallClock).
        var breaker = CreateBreaker(observer, node, clock);
        node.Guard = new NodeGuardStrategy(observer, node, breaker, timeProvider, clock);
        node.Pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = "Cosmos.Isolation", InstanceName = node.Id }
            .AddStrategy(_ => node.Guard)
            .Build();
    }

    private static ResiliencePipeline CreateBreaker(INodeCallObserver observer, NodeRuntime node, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = "Cosmos.Isolation", InstanceName = node.Id };
        if (node.Layer == CosmicLayer.Quantum)
        {
            // Attempts are read live from the layer settings so an options reload changes them without a rebuild.
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 10,
                Delay = TimeSpan.Zero,
                BackoffType = DelayBackoffType.Constant,
                ShouldHandle = args => args.AttemptNumber < node.Settings.RetryAttempts
                    && args.Outcome.Exception is { } ex and not ExecutionRejectedException and not OperationCanceledException
                    ? True
                    : False,
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            // The breaker opens on the first outcome the predicate handles; the predicate handles an outcome only when
            // it completes a streak of FailureThreshold consecutive failed or slow calls. That turns Polly's ratio-based
            // breaker into the SPEC's count-based one: "5 failures open" holds exactly.
            FailureRatio = 1e-9,
            MinimumThroughput = 2,
            SamplingDuration = TimeSpan.FromHours(1),
            BreakDurationGenerator = _ => new ValueTask<TimeSpan>(node.Settings.BreakDuration),
            ManualControl = node.ManualControl,
            StateProvider = node.StateProvider,
            ShouldHandle = args => ShouldBreak(node, args.Outcome.Exception),
            OnOpened = args =>
            {
                observer.OnBreakerChanged(node, CircuitState.Open, args.IsManual);
                return default;
            },
            OnClosed = args =>
            {
                observer.OnBreakerChanged(node, CircuitState.Closed, args.IsManual);
                return default;
            },
            OnHalfOpened = _ =>
            {
                // One more failure (or slow call) during the probe must re-open the breaker.
                Volatile.Write(ref node.Counters.ConsecutiveFailures, node.Settings.FailureThreshold - 1);
                observer.OnBreakerChanged(node, CircuitState.HalfOpen, isManual: false);
                return default;
            },
        });

        return builder.Build();
    }

    public static ResiliencePipeline<TResult> CreateTyped<TResult>(NodeRuntime node, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<TResult> { TimeProvider = timeProvider, Name = "Cosmos.Isolation", InstanceName = node.Id };
        var fallback = node.Declaration.GetFallback<TResult>();
        if (fallback is not null)
        {
            builder.AddStrategy(_ => new NodeFallbackStrategy<TResult>(node, fallback));
        }

        builder.AddPipeline(node.Pipeline);
        return builder.Build();
    }

    private static ValueTask<bool> ShouldBreak(NodeRuntime node, Exception? exception)
    {
        if (exception is OperationCanceledException)
        {
            return False;
        }

        var streak = Volatile.Read(ref node.Counters.ConsecutiveFailures);
        if (streak >= node.Settings.FailureThreshold)
        {
            // For a success this means the recorder counted it as slow: a fast success resets the streak first.
            return True;
        }

        return exception is not null && node.StateProvider.CircuitState == CircuitState.HalfOpen ? True : False;
    }
}
