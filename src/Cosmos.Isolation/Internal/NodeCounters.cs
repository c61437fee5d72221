namespace Cosmos.Isolation.Internal;

/// <summary>A node's call-path state: the outcome window, the failure streak and the outcome counters.</summary>
/// <remarks>
/// Written only by calls (the guard strategy); the controller reads them and resets them when a node heals or is released.
/// A healthy call costs one interlocked increment (the window bucket); successes are derived from the window's lifetime
/// count instead of a counter of their own. The other counters move only on failures, rejections and failover.
/// </remarks>
internal sealed class NodeCounters(SlidingWindow window)
{
    private volatile SlidingWindow _window = window;
    private long _retiredCalls;

    public SlidingWindow Window => _window;

    // Consecutive failed or slow calls; one writer most of the time, reset with a plain write only when non-zero.
    public int ConsecutiveFailures;

    public long Failures;
    public long SlowCalls;
    public long Cancelled;
    public long Rejected;
    public long DependencyFailures;
    public long FailedOver;

    // Calls the node's own Polly breaker rejected: recorded in the window as evidence, never as a success.
    public long BreakerRejections;

    // Calls admitted while the node is blocked (trial calls, partial recovery), reset when the stage changes.
    public long Admitted;

    /// <summary>Every recorded outcome, through window replacements.</summary>
    public long Calls => Interlocked.Read(ref _retiredCalls) + _window.LifetimeCalls;

    public long Successes => Math.Max(0, Calls - Interlocked.Read(ref Failures) - Interlocked.Read(ref SlowCalls) - Interlocked.Read(ref BreakerRejections));

    /// <summary>Installs a window of a new shape (options reload); the old window's lifetime count is kept.</summary>
    public void ReplaceWindow(SlidingWindow window)
    {
        var old = _window;
        _window = window;
        Interlocked.Add(ref _retiredCalls, old.LifetimeCalls);
    }
}
