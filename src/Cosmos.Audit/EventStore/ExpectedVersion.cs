namespace Cosmos.Audit.EventStore;

/// <summary>Special values for the expected version of <see cref="IEventStore.AppendAsync"/>.</summary>
public static class ExpectedVersion
{
    /// <summary>Append whatever the stream's version is (no concurrency check).</summary>
    public const long Any = -1;

    /// <summary>The stream must not exist yet (it has no events).</summary>
    public const long NoStream = 0;
}
