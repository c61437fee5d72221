namespace Cosmos.Audit.EventStore;

/// <summary>The outcome of a successful <see cref="IEventStore.AppendAsync"/>.</summary>
/// <param name="NextExpectedVersion">The stream's version after the append; pass it as the expected version of the next append.</param>
/// <param name="LastPosition">The global position of the last appended event.</param>
public readonly record struct AppendResult(long NextExpectedVersion, long LastPosition);
