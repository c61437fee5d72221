using System.Text;
using Cosmos.Audit.EventStore;

namespace Cosmos.Audit.Tests.EventStore;

/// <summary>The behaviour every <see cref="IEventStore"/> must have; each implementation's test class derives from this one.</summary>
/// <remarks>Stream ids are unique per test, so implementations backed by a shared database need no cleanup between tests;
/// global positions are therefore asserted relative to the store's head before the test.</remarks>
public abstract class EventStoreContractTests
{
    protected abstract IEventStore Store { get; }

    protected static string NewStream() => "order-" + Guid.NewGuid().ToString("N");

    protected static EventData Event(string type, string json = "{}") => new(Guid.NewGuid(), type, Encoding.UTF8.GetBytes(json));

    private async Task<long> HeadAsync()
    {
        long head = 0;
        await foreach (var e in Store.ReadAllAsync(0))
        {
            head = e.Position;
        }

        return head;
    }

    [Fact]
    public async Task AppendAsync_NewStream_NumbersVersionsFromOne()
    {
        var stream = NewStream();

        var result = await Store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("Placed"), Event("Paid")]);

        Assert.Equal(2, result.NextExpectedVersion);
        var events = await Store.ReadStreamAsync(stream).ToListAsync();
        Assert.Equal([1L, 2L], events.Select(e => e.Version));
        Assert.Equal(["Placed", "Paid"], events.Select(e => e.EventType));
        Assert.Equal(result.LastPosition, events[^1].Position);
        Assert.Equal(events[0].Position + 1, events[1].Position);
    }

    [Fact]
    public async Task AppendAsync_PayloadAndMetadata_RoundTripByteForByte()
    {
        var stream = NewStream();
        var data = Encoding.UTF8.GetBytes("{\"b\": 1,   \"a\":[2 ,3]}");
        var metadata = new byte[] { 0, 1, 2, 255 };
        var id = Guid.NewGuid();

        await Store.AppendAsync(stream, ExpectedVersion.NoStream, [new EventData(id, "Raw", data, metadata)]);

        var read = Assert.Single(await Store.ReadStreamAsync(stream).ToListAsync());
        Assert.Equal(id, read.EventId);
        Assert.Equal(stream, read.StreamId);
        Assert.Equal(data, read.Data.ToArray());
        Assert.Equal(metadata, read.Metadata.ToArray());
    }

    [Fact]
    public async Task AppendAsync_WrongExpectedVersion_ThrowsNamingStreamExpectedAndActualAndStoresNothing()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("Placed"), Event("Paid")]);

        var ex = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => Store.AppendAsync(stream, 1, [Event("Shipped"), Event("Late")]));

        Assert.Equal(stream, ex.StreamId);
        Assert.Equal(1, ex.ExpectedVersion);
        Assert.Equal(2, ex.ActualVersion);
        Assert.Contains(stream, ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await Store.ReadStreamAsync(stream).ToListAsync()).Count);
    }

    [Fact]
    public async Task AppendAsync_NoStreamOnExistingStream_Throws()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("Placed")]);

        var ex = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => Store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("Placed")]));

        Assert.Equal(0, ex.ExpectedVersion);
        Assert.Equal(1, ex.ActualVersion);
    }

    [Fact]
    public async Task AppendAsync_ExpectedVersionOnMissingStream_Throws()
    {
        var ex = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => Store.AppendAsync(NewStream(), 3, [Event("Placed")]));

        Assert.Equal(3, ex.ExpectedVersion);
        Assert.Equal(0, ex.ActualVersion);
    }

    [Fact]
    public async Task AppendAsync_Any_AppendsWhateverTheVersion()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedVersion.Any, [Event("A")]);

        var result = await Store.AppendAsync(stream, ExpectedVersion.Any, [Event("B")]);

        Assert.Equal(2, result.NextExpectedVersion);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentWritersAtOneVersion_ExactlyOneWins()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("Placed")]);

        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.AppendAsync(stream, 1, [Event("Writer" + i)]);
                return true;
            }
            catch (WrongExpectedVersionException)
            {
                return false;
            }
        })).ToArray();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, won => won);
        Assert.Equal(2, (await Store.ReadStreamAsync(stream).ToListAsync()).Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task AppendAsync_NullOrEmptyStream_ThrowsNamingTheArgument(string? stream)
    {
        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AppendAsync(stream!, ExpectedVersion.Any, [Event("A")]));

        Assert.Equal("streamId", ex.ParamName);
    }

    [Fact]
    public async Task AppendAsync_NoEventsOrNullEvent_ThrowsNamingTheIndex()
    {
        var empty = await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(NewStream(), ExpectedVersion.Any, []));
        var withNull = await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(NewStream(), ExpectedVersion.Any, [Event("A"), null!]));

        Assert.Equal("events", empty.ParamName);
        Assert.Contains("events[1]", withNull.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_ExpectedVersionBelowAny_Throws()
    {
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.AppendAsync(NewStream(), -2, [Event("A")]));

        Assert.Equal("expectedVersion", ex.ParamName);
    }

    [Fact]
    public async Task ReadStreamAsync_FromVersion_SkipsEarlierEvents()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("1"), Event("2"), Event("3"), Event("4")]);

        var tail = await Store.ReadStreamAsync(stream, 3).ToListAsync();

        Assert.Equal(["3", "4"], tail.Select(e => e.EventType));
        Assert.Empty(await Store.ReadStreamAsync(stream, 5).ToListAsync());
        Assert.Empty(await Store.ReadStreamAsync(NewStream()).ToListAsync());
    }

    [Fact]
    public async Task ReadStreamAsync_VersionBelowOne_Throws()
    {
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.ReadStreamAsync(NewStream(), 0).ToListAsync());

        Assert.Equal("fromVersion", ex.ParamName);
    }

    [Fact]
    public async Task ReadAllAsync_AfterPosition_ReturnsEveryStreamInGlobalOrder()
    {
        var head = await HeadAsync();
        var a = NewStream();
        var b = NewStream();
        await Store.AppendAsync(a, ExpectedVersion.NoStream, [Event("a1")]);
        await Store.AppendAsync(b, ExpectedVersion.NoStream, [Event("b1")]);
        await Store.AppendAsync(a, 1, [Event("a2")]);

        var all = (await Store.ReadAllAsync(head).ToListAsync()).Where(e => e.StreamId == a || e.StreamId == b).ToList();

        Assert.Equal(["a1", "b1", "a2"], all.Select(e => e.EventType));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Position < p.Second.Position));
        Assert.Equal(
            all.Skip(1).Select(e => e.EventId),
            (await Store.ReadAllAsync(all[0].Position).ToListAsync()).Where(e => e.StreamId == a || e.StreamId == b).Select(e => e.EventId));
    }

    [Fact]
    public async Task ReadAllAsync_NegativePosition_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.ReadAllAsync(-1).ToListAsync());
    }

    [Fact]
    public async Task SubscribeToAllAsync_CatchesUpThenReceivesLiveEventsInOrder()
    {
        var head = await HeadAsync();
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedVersion.NoStream, [Event("before1"), Event("before2")]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new List<RecordedEvent>();
        var subscription = Task.Run(async () =>
        {
            await foreach (var e in Store.SubscribeToAllAsync(head, cts.Token))
            {
                if (e.StreamId != stream)
                {
                    continue;
                }

                received.Add(e);
                if (received.Count == 5)
                {
                    return;
                }
            }
        });

        await Store.AppendAsync(stream, 2, [Event("live1")]);
        await Store.AppendAsync(stream, 3, [Event("live2"), Event("live3")]);
        await subscription;

        Assert.Equal(["before1", "before2", "live1", "live2", "live3"], received.Select(e => e.EventType));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], received.Select(e => e.Version));
    }

    [Fact]
    public async Task SubscribeToAllAsync_ManyConcurrentAppends_DeliversEachOnceInPositionOrder()
    {
        var head = await HeadAsync();
        var streams = Enumerable.Range(0, 4).Select(_ => NewStream()).ToArray();
        const int PerStream = 25;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new List<RecordedEvent>();
        var subscription = Task.Run(async () =>
        {
            await foreach (var e in Store.SubscribeToAllAsync(head, cts.Token))
            {
                if (Array.IndexOf(streams, e.StreamId) >= 0)
                {
                    received.Add(e);
                    if (received.Count == streams.Length * PerStream)
                    {
                        return;
                    }
                }
            }
        });

        await Task.WhenAll(streams.Select(s => Task.Run(async () =>
        {
            for (var v = 0; v < PerStream; v++)
            {
                await Store.AppendAsync(s, v, [Event("E" + v)]);
            }
        })));
        await subscription;

        Assert.Equal(received.Count, received.Select(e => e.EventId).Distinct().Count());
        Assert.True(received.Zip(received.Skip(1)).All(p => p.First.Position < p.Second.Position));
        foreach (var s in streams)
        {
            Assert.Equal(Enumerable.Range(1, PerStream).Select(v => (long)v), received.Where(e => e.StreamId == s).Select(e => e.Version));
        }
    }

    [Fact]
    public async Task SubscribeToAllAsync_Canceled_EndsTheEnumeration()
    {
        using var cts = new CancellationTokenSource();
        var head = await HeadAsync();
        var enumerator = Store.SubscribeToAllAsync(head, cts.Token).GetAsyncEnumerator(cts.Token);
        var waiting = enumerator.MoveNextAsync().AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await enumerator.DisposeAsync();
    }
}
