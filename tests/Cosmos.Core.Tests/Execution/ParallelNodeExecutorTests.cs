using System.Diagnostics.Metrics;
using Cosmos.Core.Execution;
using Cosmos.Core.Telemetry;
using Cosmos.TestUtils;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Core.Tests.Execution;

public class ParallelNodeExecutorTests
{
    private static readonly string[] TwentyNodes = [.. Enumerable.Range(0, 20).Select(i => $"n{i}")];

    [Fact]
    public async Task ExecuteAsync_ManyNodes_NeverExceedsMaxDegree()
    {
        var executor = new ParallelNodeExecutor(new ParallelExecutorOptions { MaxDegreeOfParallelism = 3 });
        var current = 0;
        var observedMax = 0;
        var ran = 0;
        using var barrierRelease = new SemaphoreSlim(0);

        var report = await executor.ExecuteAsync(TwentyNodes, async (_, ct) =>
        {
            var now = Interlocked.Increment(ref current);
            InterlockedMax(ref observedMax, now);
            Interlocked.Increment(ref ran);

            // Yield so several bodies overlap; the limit, not scheduling luck, must cap them.
            await Task.Yield();
            for (var spin = 0; spin < 2000; spin++)
            {
                Thread.SpinWait(10);
            }

            Interlocked.Decrement(ref current);
        });

        Assert.Equal(20, ran);
        Assert.Equal(20, report.Succeeded);
        Assert.InRange(observedMax, 1, 3);
    }

    [Fact]
    public async Task ExecuteAsync_AllAtLimit_ReachesTheLimit()
    {
        // Each body waits until three are running at once, proving the executor runs up to the limit concurrently.
        var executor = new ParallelNodeExecutor(new ParallelExecutorOptions { MaxDegreeOfParallelism = 3 });
        using var started = new CountdownEvent(3);
        var report = await executor.ExecuteAsync(["a", "b", "c"], (_, ct) =>
        {
            started.Signal();
            started.Wait(TimeSpan.FromSeconds(5), ct);
            return ValueTask.CompletedTask;
        });

        Assert.Equal(3, report.Succeeded);
        Assert.True(started.IsSet);
    }

    [Fact]
    public async Task ExecuteAsync_IsolatedNodes_AreSkipped()
    {
        var gate = new SetGate("n3", "n7");
        var executor = new ParallelNodeExecutor(null, gate);
        var ran = new System.Collections.Concurrent.ConcurrentBag<string>();

        var report = await executor.ExecuteAsync(TwentyNodes, (id, _) =>
        {
            ran.Add(id);
            return ValueTask.CompletedTask;
        });

        Assert.Equal(18, ran.Count);
        Assert.DoesNotContain("n3", ran);
        Assert.DoesNotContain("n7", ran);
        Assert.Equal(2, report.Isolated);
        Assert.Equal(NodeExecutionStatus.Isolated, report.Results[3].Status);
        Assert.Equal("n7", report.Results[7].NodeId);
    }

    [Fact]
    public async Task ExecuteAsync_FailingNodes_ReportsEveryException()
    {
        var executor = new ParallelNodeExecutor(new ParallelExecutorOptions { MaxDegreeOfParallelism = 4 });
        var report = await executor.ExecuteAsync(TwentyNodes, TwentyNodes, async (id, all, _) =>
        {
            await Task.Yield();
            if (Array.IndexOf(all, id) % 3 == 0)
            {
                throw new InvalidOperationException(id);
            }
        });

        Assert.Equal(7, report.Failed);
        Assert.Equal(13, report.Succeeded);
        Assert.Equal(["n0", "n3", "n6", "n9", "n12", "n15", "n18"], report.Exceptions.Select(e => e.Message));
        var aggregate = Assert.Throws<AggregateException>(report.ThrowIfAnyFailed);
        Assert.Equal(7, aggregate.InnerExceptions.Count);
    }

    [Fact]
    public async Task ExecuteAsync_GateThrows_RecordsNodeAsFailed()
    {
        var executor = new ParallelNodeExecutor(null, new ThrowingGate());
        var report = await executor.ExecuteAsync(["x"], (_, _) => ValueTask.CompletedTask);
        Assert.Equal(NodeExecutionStatus.Failed, report.Results[0].Status);
        Assert.IsType<TimeoutException>(report.Results[0].Exception);
    }

    [Fact]
    public async Task ExecuteAsync_Canceled_StopsStartingNodesAndReportsThemCanceled()
    {
        var executor = new ParallelNodeExecutor(new ParallelExecutorOptions { MaxDegreeOfParallelism = 1 });
        using var cts = new CancellationTokenSource();
        var ran = 0;

        var report = await executor.ExecuteAsync(TwentyNodes, (id, ct) =>
        {
            ran++;
            if (id == "n4")
            {
                cts.Cancel();
                ct.ThrowIfCancellationRequested();
            }

            return ValueTask.CompletedTask;
        }, cts.Token);

        Assert.Equal(5, ran);
        Assert.Equal(4, report.Succeeded);
        Assert.Equal(16, report.Canceled);
        Assert.Equal(0, report.Failed);
        Assert.Equal(NodeExecutionStatus.Canceled, report.Results[4].Status);
    }

    [Fact]
    public async Task ExecuteAsync_AlreadyCanceled_RunsNothing()
    {
        var executor = new ParallelNodeExecutor();
        var report = await executor.ExecuteAsync(TwentyNodes, (_, _) => throw new InvalidOperationException("must not run"), new CancellationToken(true));
        Assert.Equal(20, report.Canceled);
    }

    [Fact]
    public async Task ExecuteAsync_EmptyAndBadInput_Handled()
    {
        var executor = new ParallelNodeExecutor();
        var report = await executor.ExecuteAsync([], (_, _) => ValueTask.CompletedTask);
        Assert.Empty(report.Results);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => executor.ExecuteAsync(["a", null!], (_, _) => ValueTask.CompletedTask));
        Assert.Contains("nodeIds[1]", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelNodeExecutor(new ParallelExecutorOptions { MaxDegreeOfParallelism = 0 }));
        Assert.Equal(8, new ParallelNodeExecutor().MaxDegreeOfParallelism);
    }

    [Fact]
    public async Task Metrics_CountNodesByStatus()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var collector = new MetricCollector(CoreTelemetry.MeterName, factory);
        using var meter = new CoreInstrumentation(factory);
        var executor = new ParallelNodeExecutor(null, new SetGate("b"), meter, null);

        await executor.ExecuteAsync(["a", "b", "c"], (id, _) => id == "c" ? throw new InvalidOperationException() : ValueTask.CompletedTask);

        var nodes = collector.For("cosmos.core.executor.nodes");
        Assert.Equal(3, nodes.Count);
        Assert.Single(nodes, m => (string?)m.Tags["cosmos.core.executor.status"] == "isolated");
        Assert.Single(nodes, m => (string?)m.Tags["cosmos.core.executor.status"] == "failed");
        Assert.Equal(0, collector.Sum("cosmos.core.executor.active"));
        Assert.Equal(4, collector.For("cosmos.core.executor.active").Count);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private sealed class SetGate(params string[] isolated) : INodeIsolationGate
    {
        public bool IsIsolated(string nodeId) => isolated.Contains(nodeId);
    }

    private sealed class ThrowingGate : INodeIsolationGate
    {
        public bool IsIsolated(string nodeId) => throw new TimeoutException();
    }
}
