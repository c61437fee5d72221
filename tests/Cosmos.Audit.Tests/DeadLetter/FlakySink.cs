using System.Collections.Concurrent;
using Cosmos.Audit.Log;

namespace Cosmos.Audit.Tests.DeadLetter;

/// <summary>
/// An in-memory sink that fails a fixed share of calls at random (seeded). Half of the failed writes fail after the event was
/// stored, like a timeout whose write went through, so a replay that trusted the failure would store the event twice.
/// </summary>
internal sealed class FlakySink(double failureRate, int seed) : IAuditSink
{
    private readonly Random _random = new(seed);
    private readonly object _gate = new();

    public ConcurrentDictionary<Guid, int> Stored { get; } = new();

    public double FailureRate { get; set; } = failureRate;

    public int Failures;

    public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        var (fail, afterStore) = Roll();
        if (fail && !afterStore)
        {
            Interlocked.Increment(ref Failures);
            return ValueTask.FromException(new IOException("sink unavailable"));
        }

        // Counts every store, so a duplicate write shows up as a count of 2.
        Stored.AddOrUpdate(auditEvent.EventId, 1, (_, n) => n + 1);
        if (fail)
        {
            Interlocked.Increment(ref Failures);
            return ValueTask.FromException(new TimeoutException("acknowledgement lost"));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> ContainsAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        var (fail, _) = Roll();
        return fail
            ? ValueTask.FromException<bool>(new IOException("sink unavailable"))
            : ValueTask.FromResult(Stored.ContainsKey(eventId));
    }

    private (bool Fail, bool AfterStore) Roll()
    {
        lock (_gate)
        {
            var fail = _random.NextDouble() < FailureRate;
            return (fail, fail && _random.Next(2) == 0);
        }
    }
}
