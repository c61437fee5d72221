using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Cosmos.Core.Layers;
using Cosmos.Isolation;
using Cosmos.Isolation.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cosmos.Benchmarks.Cluster;

/// <summary>Decision propagation between three instances on loopback (one Garnet server): two instances isolate a node from
/// their own evidence and the third, whose calls succeed, isolates it through the quorum. One decision per iteration, so the
/// percentile columns are the propagation latency distribution. Baseline: the same decision taken locally (no Redis).</summary>
[Config(typeof(PropagationConfig))]
public class DecisionPropagationBenchmarks
{
    private static readonly string[] Nodes = ["db", "cache", "queue", "search"];
    private BenchmarkRedis _redis = null!;
    private readonly List<ServiceProvider> _instances = [];
    private IIsolationEngine _a = null!;
    private IIsolationEngine _b = null!;
    private IIsolationEngine _c = null!;
    private TaskCompletionSource _isolatedOnC = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [GlobalSetup]
    public void Setup()
    {
        _redis = new BenchmarkRedis();
        var cluster = $"bench-{Guid.NewGuid():N}";
        foreach (var name in (string[])["a", "b", "c"])
        {
            var provider = new ServiceCollection()
                .AddCosmosIsolation(o =>
                {
                    foreach (var node in Nodes)
                    {
                        o.AddNode(node, CosmicLayer.Organic);
                    }
                })
                .AddCosmosIsolationRedis(o =>
                {
                    o.Configuration = _redis.Configuration;
                    o.ClusterName = cluster;
                    o.InstanceId = name;
                })
                .BuildServiceProvider();
            foreach (var hosted in provider.GetServices<IHostedService>())
            {
                hosted.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
            }

            _instances.Add(provider);
        }

        _a = _instances[0].GetRequiredService<IIsolationEngine>();
        _b = _instances[1].GetRequiredService<IIsolationEngine>();
        _c = _instances[2].GetRequiredService<IIsolationEngine>();
        _c.StateChanged += (_, e) =>
        {
            if (e.NodeId == "db" && e.Level >= IsolationLevel.Local)
            {
                _isolatedOnC.TrySetResult();
            }
        };
        var view = _instances[2].GetRequiredService<IClusterIsolationView>();
        SpinWait.SpinUntil(() => view.GetSnapshot().Instances.Count == 3, TimeSpan.FromSeconds(30));
    }

    [IterationSetup]
    public void Reset()
    {
        // Release everywhere and wait until every instance has applied it, so each iteration starts from a healthy cluster.
        _a.ReleaseAllAsync().GetAwaiter().GetResult();
        SpinWait.SpinUntil(() => !_a.IsIsolated("db") && !_b.IsIsolated("db") && !_c.IsIsolated("db") && !_b.IsGloballyIsolated, TimeSpan.FromSeconds(10));
        Thread.Sleep(300);
        _isolatedOnC = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [Benchmark(Baseline = true, Description = "Local decision (instance a)")]
    public IsolationLevel LocalDecision() => _a.ReportImpact("db", 1.0);

    [Benchmark(Description = "Quorum of a and b → isolated on c")]
    public void QuorumPropagation()
    {
        _a.ReportImpact("db", 1.0);
        _b.ReportImpact("db", 1.0);
        _isolatedOnC.Task.Wait(TimeSpan.FromSeconds(10));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var provider in _instances)
        {
            foreach (var hosted in provider.GetServices<IHostedService>())
            {
                hosted.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            }

            provider.Dispose();
        }

        _redis.Dispose();
    }

    /// <summary>In-process (the instances and Garnet live in the benchmark process), one decision per iteration, 100 iterations:
    /// Max bounds the 99th percentile.</summary>
    private sealed class PropagationConfig : ManualConfig
    {
        public PropagationConfig()
        {
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithStrategy(RunStrategy.Monitoring)
                .WithWarmupCount(5)
                .WithIterationCount(100)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.Max);
        }
    }
}
