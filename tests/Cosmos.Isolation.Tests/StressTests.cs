using System.Diagnostics;
using Cosmos.Core;
using Cosmos.Isolation.Internal;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Xunit.Abstractions;

namespace Cosmos.Isolation.Tests;

public sealed class StressTests(ITestOutputHelper output)
{
    private const int Workers = 4;
    private const int CallsPerWorker = 40_000;
    private static readonly string[] Targets = ["db", "replica", "repo", "cache"];

    [Fact]
    public async Task GuardedCalls_WhileNodesFailRecoverAlternatesToggleAndOptionsReload_EveryCallRanOrWasRejected()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var monitor = new TestOptionsMonitor(CreateOptions(failureThreshold: 5));
        using var engine = TestOptionsMonitor.CreateEngine(monitor, time);
        var pipelines = Targets.Select(engine.GetPipeline).ToArray();
        var faults = new int[Targets.Length]; // 1: the node's callback fails
        var ranBox = new long[1];
        long succeeded = 0, failed = 0, rejected = 0;
        var unexpected = new List<Exception>();
        var stop = 0;
        using var rounds = new SemaphoreSlim(0);

        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < CallsPerWorker; i++)
            {
                if (i % 1_000 == 0)
                {
                    rounds.Release();
                    await Task.Yield();
                }

                var context = ResilienceContextPool.Shared.Get();
                var outcome = await pipelines[(i + w) % Targets.Length].ExecuteOutcomeAsync(
                    static (ctx, state) =>
                    {
                        Interlocked.Increment(ref state.Ran[0]);
                        var target = IsolationContext.GetTargetNode(ctx, Targets[state.Index]);
                        return ValueTask.FromResult(Volatile.Read(ref state.Faults[Array.IndexOf(Targets, target)]) == 1
                            ? Outcome.FromException<int>(new InvalidOperationException("injected"))
                            : Outcome.FromResult(1));
                    },
                    context,
                    (Ran: ranBox, Faults: faults, Index: (i + w) % Targets.Length));
                ResilienceContextPool.Shared.Return(context);
                switch (outcome.Exception)
                {
                    case null: Interlocked.Increment(ref succeeded); break;
                    case InvalidOperationException: Interlocked.Increment(ref failed); break;
                    case NodeIsolatedException: Interlocked.Increment(ref rejected); break;
                    default:
                        lock (unexpected)
                        {
                            unexpected.Add(outcome.Exception);
                        }

                        break;
                }
            }
        })).ToArray();

        // The operator thread: faults come and go, the replica is isolated and released, options reload, time moves.
        var operatorTask = Task.Run(async () =>
        {
            var round = 0;
            while (Volatile.Read(ref stop) == 0)
            {
                await rounds.WaitAsync();
                Volatile.Write(ref faults[0], round % 6 is 1 or 2 ? 1 : 0);   // db fails, then recovers
                Volatile.Write(ref faults[3], round % 10 == 5 ? 1 : 0);        // cache hiccups
                if (round % 4 == 1)
                {
                    await engine.IsolateAsync("replica");
                }
                else if (round % 4 == 3)
                {
                    await engine.ReleaseAsync("replica");
                }

                if (round % 9 == 8)
                {
                    monitor.Reload(CreateOptions(failureThreshold: round % 2 == 0 ? 3 : 5));
                }

                time.Advance(TimeSpan.FromSeconds(7));
                await engine.EvaluateAsync();
                round++;
            }
        });

        await Task.WhenAll(workers);
        Volatile.Write(ref stop, 1);
        rounds.Release();
        await operatorTask;

        var states = Targets.Select(engine.GetState).ToArray();
        output.WriteLine($"{clock.ElapsedMilliseconds} ms; ran {ranBox[0]}, succeeded {succeeded}, failed {failed}, rejected {rejected}, failed over {states.Sum(s => s.FailedOver)}");
        Assert.Empty(unexpected);
        Assert.Equal((long)Workers * CallsPerWorker, succeeded + failed + rejected);
        Assert.Equal(ranBox[0], succeeded + failed); // every call either ran or was rejected with NodeIsolatedException

        // The engine's books agree with the host's: each call counted once, on the node that ran or rejected it.
        Assert.Equal(succeeded, states.Sum(s => s.Successes + s.SlowCalls));
        Assert.Equal(failed, states.Sum(s => s.Failures));
        Assert.Equal(rejected, states.Sum(s => s.Rejected));
        Assert.True(failed > 0 && rejected > 0 && states.Sum(s => s.FailedOver) > 0,
            $"the run must exercise faults, rejections and failover (failed {failed}, rejected {rejected})");
    }

    private static CosmosIsolationOptions CreateOptions(int failureThreshold)
    {
        var options = new CosmosIsolationOptions { MinimumCalls = 20, EvaluationInterval = TimeSpan.FromHours(1) };
        options.Recovery.TrialCalls = 5;
        foreach (var layer in new[] { CosmicLayer.Ecosystem, CosmicLayer.Compound, CosmicLayer.Organic })
        {
            options.Layers[layer].FailureThreshold = failureThreshold;
            options.Layers[layer].BreakDuration = TimeSpan.FromSeconds(5);
        }

        options.AddNode("replica", CosmicLayer.Ecosystem);
        options.AddNode("db", CosmicLayer.Ecosystem).WithAlternates("replica");
        options.AddNode("repo", CosmicLayer.Compound, "db");
        options.AddNode("cache", CosmicLayer.Organic);
        return options;
    }
}
