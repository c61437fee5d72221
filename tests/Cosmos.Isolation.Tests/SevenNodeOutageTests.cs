using Cosmos.Core;
using Polly;
using Polly.CircuitBreaker;

namespace Cosmos.Isolation.Tests;

/// <summary>The README's seven-node outage on default options: db is hard down; exactly what depends on it is isolated.</summary>
public sealed class SevenNodeOutageTests
{
    [Fact]
    public async Task HardDownDatabase_OnDefaults_IsolatesItsSubtreeAndKeepsTheRestServing()
    {
        using var system = new SevenNodeSystem();
        system.DbDown = true;

        int repositoryCallsAtIsolation = -1, dbCallsAtIsolation = -1;
        system.Host.Engine.StateChanged += (_, e) =>
        {
            if (e.NodeId == "db" && e.Level == IsolationLevel.Subtree && repositoryCallsAtIsolation < 0)
            {
                repositoryCallsAtIsolation = system.Calls["repository"];
                dbCallsAtIsolation = system.Calls["db"];
            }
        };

        var rejections = new List<NodeIsolatedException>();
        for (var step = 0; step < 100; step++) // 10 s of traffic, a request of each kind every 100 ms
        {
            rejections.AddRange(await system.RequestAllAsync());
            system.Host.Time.Advance(TimeSpan.FromMilliseconds(100));
        }

        var engine = system.Host.Engine;

        // Detected within the window although the window never held MinimumCalls (10) calls of db: the breaker opening is evidence.
        Assert.Equal(5, dbCallsAtIsolation);
        Assert.Equal(IsolationLevel.Subtree, engine.GetState("db").Level);
        foreach (var dependent in new[] { "repository", "orders", "export" })
        {
            var state = engine.GetState(dependent);
            Assert.Equal(IsolationLevel.Subtree, state.Level);
            Assert.Equal("db", state.IsolatedBy);
            Assert.Equal(0, state.Failures); // db's failures passed through them but count against db only
        }

        foreach (var healthy in new[] { "cache", "auth", "profile" })
        {
            Assert.Equal(IsolationLevel.Normal, engine.GetState(healthy).Level);
            Assert.False(engine.IsIsolated(healthy));
        }

        Assert.False(engine.IsGloballyIsolated);
        Assert.Equal(100, system.Served["profile"]); // profile → auth served all along

        // No dependent callback ran against the dead db after it was isolated, and db itself was not called again.
        Assert.Equal(repositoryCallsAtIsolation, system.Calls["repository"]);
        Assert.Equal(dbCallsAtIsolation, system.Calls["db"]);

        var rejection = rejections[^1];
        Assert.Equal("db", rejection.CauseNodeId);
        Assert.Equal(IsolationLevel.Subtree, rejection.Level);
        Assert.NotNull(rejection.RetryAfter);
        Assert.InRange(rejection.RetryAfter!.Value, TimeSpan.FromSeconds(49), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task HardDownDatabase_RepairedBeforeProbe_HealsWithoutOperator()
    {
        using var system = new SevenNodeSystem(probeDb: true);
        system.DbDown = true;
        await system.RequestAllAsync();
        await system.RequestAllAsync();
        await system.RequestAllAsync();
        Assert.Equal(IsolationLevel.Subtree, system.Host.Engine.GetState("db").Level);

        system.DbDown = false; // repaired
        system.Host.Time.Advance(TimeSpan.FromSeconds(60));
        await system.Host.Engine.EvaluateAsync();

        var db = system.Host.Engine.GetState("db");
        Assert.Equal(IsolationLevel.Normal, db.Level);
        Assert.Equal(RecoveryStage.None, db.Recovery);
        Assert.Equal(1.0, db.Health);
        Assert.Equal(CircuitState.Closed, db.BreakerState);
        Assert.True(system.Probes > 0);
        Assert.Empty(await system.RequestAllAsync());
        Assert.Equal(1, system.Served["orders"]);
    }

    [Fact]
    public async Task HardDownDatabase_StillDownAtProbe_LatchesForOperatorOnFreshEvidence()
    {
        using var system = new SevenNodeSystem(probeDb: true);
        system.DbDown = true;
        for (var i = 0; i < 3; i++)
        {
            await system.RequestAllAsync();
        }

        // Before the break duration nothing is probed and nothing latches.
        system.Host.Time.Advance(TimeSpan.FromSeconds(30));
        await system.Host.Engine.EvaluateAsync();
        Assert.Equal(0, system.Probes);
        Assert.Equal(RecoveryStage.Waiting, system.Host.Engine.GetState("db").Recovery);

        system.Host.Time.Advance(TimeSpan.FromSeconds(30));
        await system.Host.Engine.EvaluateAsync();
        Assert.Equal(5, system.Probes); // RecoveryOptions.ProbeAttempts
        var db = system.Host.Engine.GetState("db");
        Assert.Equal(RecoveryStage.AwaitingRelease, db.Recovery);
        Assert.Equal(0.0, db.Health);

        var rejection = Assert.Single(await system.RequestOrdersAsync());
        Assert.Null(rejection.RetryAfter); // only an operator can release it now

        system.DbDown = false;
        await system.Host.Engine.ReleaseAsync("db");
        Assert.Empty(await system.RequestAllAsync());
    }

    /// <summary>db (L6); cache, auth (L5); repository (L4) on db and cache; orders (L3) on repository and auth;
    /// profile (L2) on auth; export (L2) on repository. Each hop runs through its node's pipeline.</summary>
    internal sealed class SevenNodeSystem : IDisposable
    {
        private readonly ResiliencePipeline _db, _cache, _auth, _repository, _orders, _profile, _export;

        public SevenNodeSystem(bool probeDb = false)
        {
            Host = new TestHost(o =>
            {
                var db = o.AddNode("db", CosmicLayer.Ecosystem);
                if (probeDb)
                {
                    db.WithProbe(_ =>
                    {
                        Probes++;
                        return ValueTask.FromResult(!DbDown);
                    });
                }

                o.AddNode("cache", CosmicLayer.Organic);
                o.AddNode("auth", CosmicLayer.Organic);
                o.AddNode("repository", CosmicLayer.Compound, "db", "cache");
                o.AddNode("orders", CosmicLayer.Molecular, "repository", "auth");
                o.AddNode("profile", CosmicLayer.Atomic, "auth");
                o.AddNode("export", CosmicLayer.Atomic, "repository");
            });
            var engine = Host.Engine;
            (_db, _cache, _auth, _repository, _orders, _profile, _export) = (engine.GetPipeline("db"), engine.GetPipeline("cache"),
                engine.GetPipeline("auth"), engine.GetPipeline("repository"), engine.GetPipeline("orders"), engine.GetPipeline("profile"),
                engine.GetPipeline("export"));
            foreach (var id in new[] { "db", "cache", "auth", "repository", "orders", "profile", "export" })
            {
                Calls[id] = 0;
                Served[id] = 0;
            }
        }

        public TestHost Host { get; }

        public bool DbDown { get; set; }

        public int Probes { get; private set; }

        /// <summary>How often each node's callback ran.</summary>
        public Dictionary<string, int> Calls { get; } = [];

        /// <summary>Requests of each kind that were answered.</summary>
        public Dictionary<string, int> Served { get; } = [];

        public async Task<List<NodeIsolatedException>> RequestAllAsync()
        {
            var rejections = await RequestOrdersAsync();
            rejections.AddRange(await RequestAsync("profile", ProfileAsync));
            rejections.AddRange(await RequestAsync("export", ExportAsync));
            return rejections;
        }

        public Task<List<NodeIsolatedException>> RequestOrdersAsync() => RequestAsync("orders", OrdersAsync);

        public void Dispose() => Host.Dispose();

        private async Task<List<NodeIsolatedException>> RequestAsync(string kind, Func<ValueTask> request)
        {
            try
            {
                await request();
                Served[kind]++;
                return [];
            }
            catch (NodeIsolatedException ex)
            {
                return [ex];
            }
            catch (InvalidOperationException)
            {
                return []; // the dead db's own failure, before detection
            }
        }

        private ValueTask Run(ResiliencePipeline pipeline, string id, Func<CancellationToken, ValueTask> body)
            => pipeline.ExecuteAsync(async ct =>
            {
                Calls[id]++;
                await body(ct);
            });

        private ValueTask DbAsync() => Run(_db, "db", _ => DbDown ? throw new InvalidOperationException("db is down") : ValueTask.CompletedTask);

        private ValueTask CacheAsync() => Run(_cache, "cache", _ => ValueTask.CompletedTask);

        private ValueTask AuthAsync() => Run(_auth, "auth", _ => ValueTask.CompletedTask);

        private ValueTask RepositoryAsync() => Run(_repository, "repository", async _ =>
        {
            await CacheAsync();
            await DbAsync();
        });

        private ValueTask OrdersAsync() => Run(_orders, "orders", async _ =>
        {
            await AuthAsync();
            await RepositoryAsync();
        });

        private ValueTask ProfileAsync() => Run(_profile, "profile", _ => AuthAsync());

        private ValueTask ExportAsync() => Run(_export, "export", _ => RepositoryAsync());
    }
}
