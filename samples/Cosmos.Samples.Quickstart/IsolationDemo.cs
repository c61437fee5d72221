using Cosmos.Core;
using Cosmos.Isolation;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace Cosmos.Samples.Quickstart;

/// <summary>The Cosmos.Isolation section of the quickstart.</summary>
/// <remarks>
/// A simulated host: db (L6) ← repository (L4) ← orders endpoint (L3, with a fallback) and profile endpoint (L2),
/// next to healthy cache, auth and search nodes. A fault is injected into the database; the timeline shows
/// warning → local → subtree isolation, fallback answers, then recovery. Time is driven by a small clock so the
/// 60-second break passes instantly.
/// </remarks>
internal static class IsolationDemo
{
    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var clock = new DemoClock();
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddCosmosIsolation(o =>
            {
                o.EvaluationInterval = TimeSpan.FromHours(1); // the demo evaluates explicitly after moving its clock
                o.MinimumCalls = 8;

                // Per-layer override: these breakers tolerate 10 consecutive failures, so detection (8 calls minimum) acts first.
                foreach (var layer in new[] { CosmicLayer.Molecular, CosmicLayer.Compound, CosmicLayer.Ecosystem })
                {
                    o.Layers[layer].FailureThreshold = 10;
                }

                o.AddNode("db", CosmicLayer.Ecosystem);
                o.AddNode("repository", CosmicLayer.Compound, "db");
                o.AddNode("orders-endpoint", CosmicLayer.Molecular, "repository").WithFallback<string>(_ => "orders from cache (fallback)");
                o.AddNode("profile-endpoint", CosmicLayer.Atomic, "repository");
                o.AddNode("cache", CosmicLayer.Organic);
                o.AddNode("auth", CosmicLayer.Organic);
                o.AddNode("search", CosmicLayer.Compound, "cache");
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
                output.WriteLine($"  [t+{clock.Elapsed.TotalSeconds,5:F1}s] {e.NodeId,-16} {e.PreviousLevel,-8} → {e.Level,-8} recovery {e.Recovery,-15} impact {e.Impact:F3} health {e.Health:F2}");
            }
        };

        var dbFailsOneIn = 0;   // 0: healthy; k: every k-th database call times out
        var profileBug = false; // the profile endpoint's own bug: 3 of every 5 calls fail
        var calls = 0;
        var db = engine.GetPipeline("db");
        var repository = engine.GetPipeline("repository");
        var orders = engine.GetPipeline<string>("orders-endpoint");
        var profile = engine.GetPipeline<string>("profile-endpoint");

        // One request: orders endpoint → repository → db, each hop guarded by its node's pipeline.
        ValueTask<string> OrdersAsync() => orders.ExecuteAsync(async ct =>
        {
            var rows = await repository.ExecuteAsync(async ct2 => await db.ExecuteAsync(_ =>
            {
                calls++;
                return dbFailsOneIn > 0 && calls % dbFailsOneIn == 0 ? throw new TimeoutException("db timeout") : ValueTask.FromResult(3);
            }, ct2), ct);
            return $"{rows} orders";
        }, cancellationToken);

        ValueTask<string> ProfileAsync() => profile.ExecuteAsync(_ =>
        {
            calls++;
            return profileBug && calls * 3 % 5 < 3 ? throw new InvalidOperationException("profile bug") : ValueTask.FromResult("profile");
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
                catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or Polly.CircuitBreaker.BrokenCircuitException)
                {
                    answer = ex.GetType().Name;
                }

                answers[answer] = answers.GetValueOrDefault(answer) + 1;
                clock.Advance(TimeSpan.FromMilliseconds(100));
            }

            output.WriteLine($"  {title}: {string.Join(", ", answers.Select(a => $"{a.Value}× \"{a.Key}\""))}");
        }

        output.WriteLine("1. Healthy traffic");
        await TrafficAsync("orders", 20, OrdersAsync);

        output.WriteLine("2. Database degraded: one call in three times out (the repository sees it first: WARNING)");
        dbFailsOneIn = 3;
        await TrafficAsync("orders", 30, OrdersAsync);
        dbFailsOneIn = 0;

        output.WriteLine("3. A bug in the profile endpoint: 60 % of its calls fail (LOCAL isolation, fail fast)");
        profileBug = true;
        await TrafficAsync("profile", 20, ProfileAsync);

        output.WriteLine("4. Database down: every call times out (LOCAL on db, escalated to its SUBTREE; fallback answers)");
        dbFailsOneIn = 1;
        await TrafficAsync("orders", 20, OrdersAsync);
        Print(output, engine);

        output.WriteLine("5. Database repaired, 60 s later a health probe scores it 0.55: partial recovery ramps traffic");
        dbFailsOneIn = 0;
        profileBug = false;
        clock.Advance(TimeSpan.FromSeconds(60));
        engine.ReportHealth("db", 0.55);
        await engine.EvaluateAsync(cancellationToken);
        output.WriteLine($"  db admits {engine.GetState("db").Admission:P0} of its calls");
        await TrafficAsync("orders", 80, OrdersAsync);
        await engine.EvaluateAsync(cancellationToken);
        await TrafficAsync("orders (db healed)", 10, OrdersAsync);

        output.WriteLine("6. An operator releases the profile endpoint");
        await engine.ReleaseAsync("profile-endpoint", IsolationScope.Node, cancellationToken);
        await TrafficAsync("profile", 10, ProfileAsync);
        Print(output, engine);
    }

    private static void Print(TextWriter output, IIsolationEngine engine)
    {
        foreach (var node in engine.GetSnapshot().Nodes)
        {
            output.WriteLine($"  {node.Id,-16} {node.Layer,-10} {node.Level,-8} breaker {node.BreakerState,-8} failures {node.Failures,3} health {node.Health:F2} isolated-by {node.IsolatedBy ?? "-"}");
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
