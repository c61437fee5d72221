using System.Runtime.CompilerServices;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Internal;

/// <summary>Remembers which node an exception was first observed in, so a failure that propagates out of a nested node's
/// pipeline counts against that node only, not against every caller it passes through.</summary>
/// <remarks>Only failed calls touch the table (a weak table: entries die with their exceptions). An exception instance a
/// host caches and rethrows from different nodes keeps its first node.</remarks>
internal static class FailureAttribution
{
    private static readonly ConditionalWeakTable<Exception, NodeRuntime> Owners = new();

    /// <summary>Whether <paramref name="exception"/> is a failure of another node (or a breaker's rejection) rather than of <paramref name="node"/>;
    /// the first node to see a plain failure becomes its owner.</summary>
    public static bool BelongsToOther(Exception exception, NodeRuntime node)
    {
        if (exception is NodeIsolatedException)
        {
            return true;
        }

        if (!Owners.TryGetValue(exception, out var owner))
        {
            owner = Owners.GetValue(exception, _ => node);
        }

        // A raw BrokenCircuitException that came out of the callback is some other breaker's rejection.
        return !ReferenceEquals(owner, node) || exception is BrokenCircuitException;
    }

    /// <summary>Whether a node's observer has seen <paramref name="exception"/> (so it came out of a callback, not out of the node's own breaker).</summary>
    public static bool WasObserved(Exception exception) => Owners.TryGetValue(exception, out _);
}
