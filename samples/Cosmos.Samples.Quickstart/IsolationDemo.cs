using Cosmos.Core;
using Cosmos.Isolation;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace Cosmos.Samples.Quickstart;

/// <summary>The Cosmos.Isolation section of the quickstart.</summary>
/// <remarks>
/// The seven-node host of the package README: db (L6, with a replica as alternate); cache, auth (L5); repository (L4) on db
/// and cache; orders (L3, with a fallback) on repository and auth; profile (L2) on auth; export (L2) on repository.
/// The timeline shows a bug isolated locally, a hard-down database isolated with exactly its subtree, failover to the
/// replica, recovery from a probe, and an operator release. Time is driven by a small clock so the 60-second break passes instantly.
/// </remarks>
internal static class IsolationDemo
{
    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var clock = new DemoClock();
        var dbDown = false;
        var profileBug = false;
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddCosmosIsolation(o =>
            {
                o.EvaluationInterval = TimeSpan.FromHours(1); // the demo evaluates explicitly after moving its clock
                o.AddNode("db-replica", CosmicLayer.Ecosystem);
                o.AddNode("db", CosmicLayer.Ecosystem)
                 .WithAlternates("db-replica")
                 .WithProbe(_ => ValueTask.FromResult(!dbDown)); // a health probe: fresh evidence after the break
                o.AddNode("cache", CosmicLayer.Organic);
                o.AddNode("auth", CosmicLayer.Organic);
                o.AddNode("repository", CosmicLayer.Compound, "db", "cache");
                o.AddNode("orders", CosmicLayer.Molecular, "repository", "auth").WithFallback<string>(_ => "orders from cache (fallback)");
                o.AddNode("profile", CosmicLayer.Atomic, "auth");
                o.AddNode("export", CosmicLayer.Atomic, "repository");
            });
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<IIsolationEngine>();
        var printed = new Dictionary<string, (IsolationLevel, RecoveryStage)>(StringComparer.Ordinal);
        engine.StateChanged += (_, e) =>
        {
            // Breaker transitions arrive as events too; the timeline shows level and recovery-stage changes.
            if (!printed.TryGetValue(e.NodeId, out var last) || last != (e.Level, e.Recovery))
            {
                printed[e.NodeId] = (e.Level, e.Recovery);
                output.WriteLine($"  [t+{clock.Elapsed.TotalSeconds,5:F1}s] {e.NodeId,-12} {e.PreviousLevel,-8} → {e.Level,-8} recovery {e.Recovery,-15} impact {e.Impact:F3} health {e.Health:F2}");
            }
        };

        var calls = 0;
        var repositoryRuns = 0;
        var db = engine.GetPipeline<int>("db");
        var cache = engine.GetPipeline("cache");
        var auth = engine.GetPipeline("auth");
        var repository = engine.GetPipeline<int>("repository");
        var orders = engine.GetPipeline<string>("orders");
        var profile = engine.GetPipeline<string>("profile");

        // db's callback asks which node it runs on: during failover the pipeline routes it to the replica.
        async ValueTask<int> QueryAsync(CancellationToken ct)
        {
            var context = ResilienceContextPool.Shared.Get(ct);
            try
            {
                return await db.ExecuteAsync(static (ctx, down) =>
                    IsolationContext.GetTargetNode(ctx, "db") == "db" && down()
                        ? throw new TimeoutException("db timeout")
                        : ValueTask.FromResult(3), context, (Func<bool>)(() => dbDown));
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        // One request: orders → auth, then repository → cache and db, each hop guarded by its node's pipeline.
        ValueTask<string> OrdersAsync() => orders.ExecuteAsync(async ct =>
        {
            await auth.ExecuteAsync(_ => ValueTask.CompletedTask, ct);
            var rows = await repository.ExecuteAsync(async ct2 =>
            {
                repositoryRuns++;
                await cache.ExecuteAsync(_ => ValueTask.CompletedTask, ct2);
                return await QueryAsync(ct2);
            }, ct);
            return $"{rows} orders";
        }, cancellationToken);

        ValueTask<string> ProfileAsync() => profile.ExecuteAsync(async ct =>
        {
            calls++;
            await auth.ExecuteAsync(_ => ValueTask.CompletedTask, ct);
            return profileBug && calls * 3 % 5 < 3 ? throw new InvalidOperationException("profile bug") : "profile";
        }, cancellationToken);

        async Task TrafficAsync(string title, int count, Func<ValueTask<string>> request)
        {
            var answers = new Dictionary<string, int>(StringComparer.Ordinal);
            clock.Advance(TimeSpan.FromSeconds(10)); // a quiet period: each phase starts with fresh windows
            calls = 0;
            for (var i = 0; i < count; i++)
            {
                string answer;
                try
                {
                    answer = await request();
                }
                catch (NodeIsolatedException ex)
                {
                    answer = $"NodeIsolatedException (cause {ex.CauseNodeId}, {ex.Level})";
                }
                catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
                {
                    answer = ex.GetType().Name;
                }

                answers[answer] = answers.GetValueOrDefault(answer) + 1;
                clock.Advance(TimeSpan.FromMilliseconds(100));
            }

            output.WriteLine($"  {title}: {string.Join(", ", answers.Select(a => $"{a.Value}× \"{a.Key}\""))}");
        }

        await engine.IsolateAsync("db-replica", IsolationScope.Node, cancellationToken); // the replica is down for maintenance

        output.WriteLine("1. Healthy traffic");
        await TrafficAsync("orders", 10, OrdersAsync);
        await TrafficAsync("profile", 10, ProfileAsync);

        output.WriteLine("2. A bug in the profile endpoint: 60 % of its calls fail (LOCAL isolation, fail fast)");
        profileBug = true;
        await TrafficAsync("profile", 20, ProfileAsync);

        output.WriteLine("3. Database hard down: its breaker opens after 5 calls — evidence enough to isolate db's SUBTREE");
        dbDown = true;
        var before = repositoryRuns;
        await TrafficAsync("orders", 20, OrdersAsync);
        output.WriteLine($"  repository callbacks run against the dead db: {repositoryRuns - before} (none after the 5th); global: {engine.IsGloballyIsolated}");
        Print(output, engine);

        output.WriteLine("4. The replica is back from maintenance: db's calls fail over to it, its dependents serve again");
        await engine.ReleaseAsync("db-replica", IsolationScope.Node, cancellationToken);
        await TrafficAsync("orders", 10, OrdersAsync);
        output.WriteLine($"  db calls routed to the replica: {engine.GetState("db").FailedOver}");

        output.WriteLine("5. Database repaired; after its 60 s break the probe finds it healthy: healed without an operator");
        dbDown = false;
        clock.Advance(TimeSpan.FromSeconds(60));
        await engine.EvaluateAsync(cancellationToken);
        await TrafficAsync("orders", 10, OrdersAsync);

        output.WriteLine("6. An operator releases the profile endpoint");
        profileBug = false;
        await engine.ReleaseAsync("profile", IsolationScope.Node, cancellationToken);
        await TrafficAsync("profile", 10, ProfileAsync);
        Print(output, engine);
    }

    private static void Print(TextWriter output, IIsolationEngine engine)
    {
        foreach (var node in engine.GetSnapshot().Nodes)
        {
            output.WriteLine($"  {node.Id,-12} {node.Layer,-10} {node.Level,-8} breaker {node.BreakerState,-8} failures {node.Failures,3} health {node.Health:F2} isolated-by {node.IsolatedBy ?? "-"}");
        }
    }

    /// <summary>A clock the demo moves by hand, so break durations pass instantly.</summary>
    private sealed class DemoClock : TimeProvider
    {
        private readonly DateTimeOffset _start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private long _ticks;

        public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public override DateTimeOffset GetUtcNow() => _start + Elapsed;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(TimeSpan delta) => Interlocked.Add(ref _ticks, delta.Ticks);
    }
}
