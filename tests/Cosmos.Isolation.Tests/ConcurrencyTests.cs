using System.Diagnostics;
using Cosmos.Core;
using Polly;
using Xunit.Abstractions;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Tests;

public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    // 2 workers × 100,000 guarded calls (scaled down from 10^6 so the suite stays within a few seconds on 2 shared cores).
    private const int Workers = 2;
    private const int CallsPerWorker = 100_000;

    [Fact]
    public async Task GuardedCalls_WhileFaultsToggleAndEngineIsolates_CountsAddUpAndOnlyDocumentedExceptions()
    {
        using var host = new TestHost(o =>
        {
            o.MinimumCalls = 50;
            o.Layers[CosmicLayer.Ecosystem].BreakDuration = TimeSpan.FromSeconds(1);
            o.Layers[CosmicLayer.Compound].BreakDuration = TimeSpan.FromSeconds(1);
            o.AddNode("db", CosmicLayer.Ecosystem);
            o.AddNode("repo", CosmicLayer.Compound, "db");
        });

        var faultBox = new int[1];
        var invokedBox = new long[1];
        long succeeded = 0, injected = 0, isolated = 0, broken = 0;
        var unexpected = new List<Exception>();
        var pipelines = new[] { host.Engine.GetPipeline("db"), host.Engine.GetPipeline("repo") };
        var stop = 0;
        var roundsDone = 0;
        using var rounds = new SemaphoreSlim(0);

        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < CallsPerWorker; i++)
            {
                if (i % 2_000 == 0)
                {
                    // Paces the toggler by calls made, not by wall-clock time; yielding lets its continuation run
                    // on a 2-core machine where both workers would otherwise hold the thread pool.
                    rounds.Release();
                    await Task.Yield();
                }

                // ExecuteOutcomeAsync keeps exceptions as values: the same guarded path, without the cost of throwing.
                var context = ResilienceContextPool.Shared.Get();
                var outcome = await pipelines[(i + w) & 1].ExecuteOutcomeAsync(
                    static (_, state) =>
                    {
                        Interlocked.Increment(ref state.Invoked[0]);
                        return ValueTask.FromResult(Volatile.Read(ref state.Fault[0]) == 1
                            ? Outcome.FromException<int>(new InvalidOperationException("injected"))
                            : Outcome.FromResult(1));
                    },
                    context,
                    (Invoked: invokedBox, Fault: faultBox));
                ResilienceContextPool.Shared.Return(context);
                switch (outcome.Exception)
                {
                    case null: Interlocked.Increment(ref succeeded); break;
                    case InvalidOperationException: Interlocked.Increment(ref injected); break;
                    case NodeIsolatedException: Interlocked.Increment(ref isolated); break;
                    case BrokenCircuitException: Interlocked.Increment(ref broken); break;
                    default:
                        lock (unexpected)
                        {
                            unexpected.Add(outcome.Exception);
                        }

                        break;
                }
            }
        })).ToArray();

        // The toggler flips the fault, moves the clock (timers run detection and recovery) and acts as an operator.
        var toggler = Task.Run(async () =>
        {
            var round = 0;
            while (Volatile.Read(ref stop) == 0)
            {
                await rounds.WaitAsync();
                // Faults one round in four: throwing dominates the cost, and the run must stay short.
                Volatile.Write(ref faultBox[0], round % 4 == 1 ? 1 : 0);
                if (round % 4 == 1)
                {
                    host.Engine.ReportImpact("db", 0.36);
                }

                host.Time.Advance(TimeSpan.FromMilliseconds(700));
                if (round % 5 == 4)
                {
                    await host.Engine.ReleaseAllAsync();
                }
                else if (round % 7 == 6)
                {
                    await host.Engine.IsolateAsync("db", IsolationScope.Subtree);
                }

                round++;
                Volatile.Write(ref roundsDone, round);
            }
        });

        await Task.WhenAll(workers);
        Volatile.Write(ref stop, 1);
        rounds.Release();
        await toggler;

        output.WriteLine($"{clock.ElapsedMilliseconds} ms; rounds {roundsDone}; invoked {invokedBox[0]}, succeeded {succeeded}, injected {injected}, isolated {isolated}, broken {broken}");
        Assert.Empty(unexpected);
        Assert.Equal((long)Workers * CallsPerWorker, succeeded + injected + isolated + broken);

        var states = new[] { host.Engine.GetState("db"), host.Engine.GetState("repo") };
        Assert.Equal(invokedBox[0], states.Sum(s => s.Successes + s.Failures + s.SlowCalls));
        Assert.Equal(injected, states.Sum(s => s.Failures));
        Assert.Equal(isolated, states.Sum(s => s.Rejected));
        Assert.True(injected > 0 && isolated + broken > 0, $"the run must exercise faults and rejections (injected {injected}, isolated {isolated}, broken {broken})");
    }
}
