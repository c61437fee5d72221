using Cosmos.Audit.EventStore;
using Microsoft.Extensions.Time.Testing;

namespace Cosmos.Audit.Tests.EventStore;

public sealed class InMemoryEventStoreTests : EventStoreContractTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryEventStore _store;

    public InMemoryEventStoreTests()
    {
        _store = new InMemoryEventStore(_time);
    }

    protected override IEventStore Store => _store;

    [Fact]
    public async Task AppendAsync_RecordedAt_ComesFromTheTimeProvider()
    {
        var stream = NewStream();
        await _store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("A")]);
        _time.Advance(TimeSpan.FromMinutes(5));
        await _store.AppendAsync(stream, 1, [Event("B")]);

        var events = await _store.ReadStreamAsync(stream).ToListAsync();

        Assert.Equal(_time.GetUtcNow().AddMinutes(-5), events[0].RecordedAt);
        Assert.Equal(_time.GetUtcNow(), events[1].RecordedAt);
    }

    [Fact]
    public async Task ReadAllAsync_EmptyStore_StartsAtPositionOne()
    {
        await _store.AppendAsync(NewStream(), ExpectedVersion.NoStream, [Event("A"), Event("B")]);

        Assert.Equal([1L, 2L], (await _store.ReadAllAsync().ToListAsync()).Select(e => e.Position));
    }
}
