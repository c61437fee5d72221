using System.Diagnostics;

namespace Cosmos.Isolation.Redis.Tests;

/// <summary>Three instances in three OS processes sharing one Redis-protocol server: the acceptance scenarios of the cluster view.</summary>
[Collection(ClusterProcessesDefinition.Name)]
public sealed class ClusterProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DbFailingOnTwoOfThree_IsolatedOnAllThreeWithinOneSecond()
    {
        using var server = new RedisServer();
        await using var cluster = await Cluster.StartAsync(server, 3);
        var (a, b, c) = (cluster[0], cluster[1], cluster[2]);

        await a.SendAsync("fail db");
        await b.SendAsync("fail db");
        await WaitUntilAsync(async () => (await a.StateAsync("db")).Isolated && (await b.StateAsync("db")).Isolated, Patience);
        var quorumSeen = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await c.StateAsync("db")).Isolated, Patience);
        var propagation = quorumSeen.Elapsed;

        var third = await c.StateAsync("db");
        Assert.True(third.ClusterIsolated);
        Assert.Equal(IsolationLevel.Local, third.Level);
        Assert.False((await c.StateAsync("cache")).Isolated);
        // The acceptance bound; the loop publishes on every local change, so this is one pub/sub hop.
        Assert.True(propagation <= TimeSpan.FromSeconds(1), $"The third instance isolated db {propagation.TotalMilliseconds:F0} ms after the quorum formed.");
        await cluster.AssertNoUnexpectedErrorsAsync();
    }

    [Fact]
    public async Task DbFailingOnOneOfThree_IsolatedOnThatOneOnly()
    {
        using var server = new RedisServer();
        await using var cluster = await Cluster.StartAsync(server, 3);
        var (a, b, c) = (cluster[0], cluster[1], cluster[2]);

        await a.SendAsync("fail db");
        await WaitUntilAsync(async () => (await a.StateAsync("db")).Isolated, Patience);

        // Several heartbeats (100 ms each) pass; the lone vote never reaches the quorum of two.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(2))
        {
            Assert.False((await b.StateAsync("db")).Isolated);
            Assert.False((await c.StateAsync("db")).Isolated);
            await Task.Delay(100);
        }

        Assert.True((await a.StateAsync("db")).Isolated);
        Assert.False((await a.StateAsync("db")).ClusterIsolated);
        await cluster.AssertNoUnexpectedErrorsAsync();
    }

    [Fact]
    public async Task ReleaseOnOne_ReleasedOnAll()
    {
        using var server = new RedisServer();
        await using var cluster = await Cluster.StartAsync(server, 3);
        var (a, b, c) = (cluster[0], cluster[1], cluster[2]);

        // A quorum isolation: two instances see db fail, the third follows.
        await a.SendAsync("fail db");
        await b.SendAsync("fail db");
        await cluster.WaitUntilAllAsync("db", isolated: true, Patience);
        await a.SendAsync("heal db");
        await b.SendAsync("heal db");

        // The operator releases db on the third instance only.
        await c.SendAsync("release db");
        await cluster.WaitUntilAllAsync("db", isolated: false, Patience);

        // An operator isolation on one instance applies to all, and so does its release on another.
        await b.SendAsync("isolate cache");
        await cluster.WaitUntilAllAsync("cache", isolated: true, Patience);
        await a.SendAsync("release cache");
        await cluster.WaitUntilAllAsync("cache", isolated: false, Patience);
        await cluster.AssertNoUnexpectedErrorsAsync();
    }

    [Fact]
    public async Task RedisKilledMidRun_LocalDecisionsAndStaleFlag_ThenRestartConverges()
    {
        using var server = new RedisServer();
        await using var cluster = await Cluster.StartAsync(server, 3);
        var (a, b, c) = (cluster[0], cluster[1], cluster[2]);

        server.Stop();
        foreach (var host in cluster)
        {
            await WaitUntilAsync(async () => (await host.StateAsync("db")).Stale, Patience);
        }

        // Local decisions continue: db fails on two instances, each isolates it from its own evidence; without Redis the
        // third has no quorum and keeps calling db.
        await a.SendAsync("fail db");
        await b.SendAsync("fail db");
        await WaitUntilAsync(async () => (await a.StateAsync("db")).Isolated && (await b.StateAsync("db")).Isolated, Patience);
        var callsBefore = (await c.StateAsync("db")).Calls;
        await Task.Delay(500);
        var third = await c.StateAsync("db");
        Assert.False(third.Isolated);
        Assert.True(third.Stale);
        Assert.True(third.Calls > callsBefore);
        await cluster.AssertNoUnexpectedErrorsAsync();

        // Redis comes back: the views converge and the quorum isolates db on the third instance.
        server.Start();
        foreach (var host in cluster)
        {
            await WaitUntilAsync(async () => await host.StateAsync("db") is { Stale: false, LiveInstances: 3 }, Patience);
        }

        await WaitUntilAsync(async () => (await c.StateAsync("db")).ClusterIsolated, Patience);
        await cluster.AssertNoUnexpectedErrorsAsync();
    }

    [Fact]
    public async Task LateJoiner_ResyncsFromSnapshot_IsolatesQuorumNode()
    {
        using var server = new RedisServer();
        await using var cluster = await Cluster.StartAsync(server, 2);
        await cluster[0].SendAsync("fail db");
        await cluster[1].SendAsync("fail db");
        await cluster.WaitUntilAllAsync("db", isolated: true, Patience);

        await using var late = await ClusterHostProcess.StartAsync(server, "late", cluster.Name);
        await WaitUntilAsync(async () => await late.StateAsync("db") is { Isolated: true, ClusterIsolated: true }, Patience);
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"The condition did not hold within {timeout}.");
            }

            await Task.Delay(20);
        }
    }

    private sealed class Cluster : List<ClusterHostProcess>, IAsyncDisposable
    {
        public string Name { get; } = $"c{Guid.NewGuid():N}";

        public static async Task<Cluster> StartAsync(RedisServer server, int count)
        {
            var cluster = new Cluster();
            try
            {
                for (var i = 0; i < count; i++)
                {
                    cluster.Add(await ClusterHostProcess.StartAsync(server, $"i{i}", cluster.Name));
                }

                foreach (var host in cluster)
                {
                    await WaitUntilAsync(async () => (await host.StateAsync("db")).LiveInstances == count, Patience);
                }

                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }

        public async Task WaitUntilAllAsync(string node, bool isolated, TimeSpan timeout)
        {
            foreach (var host in this)
            {
                await WaitUntilAsync(async () => (await host.StateAsync(node)).Isolated == isolated, timeout);
            }
        }

        public async Task AssertNoUnexpectedErrorsAsync()
        {
            foreach (var host in this)
            {
                Assert.Equal(0, (await host.StateAsync("db")).UnexpectedErrors);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var host in this)
            {
                await host.DisposeAsync();
            }
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterProcessesDefinition
{
    public const string Name = "Cluster processes";
}
