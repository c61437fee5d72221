using StackExchange.Redis;

namespace Cosmos.Isolation.Redis.Tests;

public sealed class RedisServerTests
{
    [Fact]
    public async Task Start_FreeLoopbackPort_ServesStringsHashesAndPubSub()
    {
        using var server = new RedisServer();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var db = connection.GetDatabase();

        await db.StringSetAsync("k", "v", TimeSpan.FromMinutes(1));
        await db.HashSetAsync("h", "f", "1");
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal("c"), (_, message) => received.TrySetResult(message!));
        await connection.GetSubscriber().PublishAsync(RedisChannel.Literal("c"), "hello");

        Assert.Equal("v", (string?)await db.StringGetAsync("k"));
        Assert.Equal("1", (string?)await db.HashGetAsync("h", "f"));
        Assert.Equal("hello", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.All(connection.GetEndPoints(), e => Assert.Contains("127.0.0.1", e.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopThenStart_SamePort_ServesAgainWithoutOldData()
    {
        using var server = new RedisServer();
        await using (var first = await ConnectionMultiplexer.ConnectAsync(server.Configuration))
        {
            await first.GetDatabase().StringSetAsync("k", "v");
        }

        server.Stop();
        Assert.False(server.IsRunning);
        server.Start();

        await using var second = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        Assert.True((await second.GetDatabase().StringGetAsync("k")).IsNull);
    }
}
