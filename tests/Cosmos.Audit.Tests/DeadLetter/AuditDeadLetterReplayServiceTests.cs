using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Tests.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Cosmos.Audit.Log.Internal;

namespace Cosmos.Audit.Tests.DeadLetter;

public sealed class AuditDeadLetterReplayServiceTests
{
    [Fact]
    public async Task Timer_SinkRecoversAndTheIntervalPasses_BackgroundReplayEmptiesTheQueue()
    {
        var sink = new FlakySink(1.0, seed: 11);
        await using var host = AuditTestHost.Create(sink);
        var service = host.ReplayService;
        await service.StartAsync(CancellationToken.None);
        var token = host.TokenFor("alice123", "alice", "editor");
        for (var i = 0; i < 20; i++)
        {
            var result = await host.Pipeline.CreateAsync(token, "docs", $"d{i}", new JsonObject { ["i"] = i }, AuditTestHost.Write);
            Assert.Equal(AuditPublishOutcome.DeadLettered, result.AuditOutcome);
        }

        var queue = host.Services.GetRequiredService<AuditDeadLetterQueue>();
        Assert.Equal(20, queue.Count);

        // Before the interval nothing runs; at the interval a replay runs but the sink is still down.
        host.Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Same(Task.CompletedTask, service.LastReplay);
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await service.LastReplay;
        Assert.Equal(20, queue.Count);

        sink.FailureRate = 0;
        host.Clock.Advance(TimeSpan.FromSeconds(10));
        await service.LastReplay;

        Assert.Equal(0, queue.Count);
        Assert.Equal(20, sink.Stored.Count);
        Assert.All(sink.Stored.Values, n => Assert.Equal(1, n));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_InfiniteInterval_NoTimerIsCreated()
    {
        await using var host = AuditTestHost.Create(configure: o => o.AuditLog.DeadLetterReplayInterval = Timeout.InfiniteTimeSpan);
        var before = host.Clock.ActiveTimerCount;
        await host.ReplayService.StartAsync(CancellationToken.None);
        Assert.Equal(before, host.Clock.ActiveTimerCount);
    }

    [Theory]
    [InlineData("MaxBatchSize")]
    [InlineData("ReplayConcurrency")]
    [InlineData("DeadLetterReplayInterval")]
    [InlineData("Path")]
    public async Task Options_BadAuditLogSetting_FailsAtStartNamingTheOption(string option)
    {
        await using var host = AuditTestHost.Create(configure: o =>
        {
            switch (option)
            {
                case "MaxBatchSize": o.AuditLog.MaxBatchSize = 0; break;
                case "ReplayConcurrency": o.AuditLog.ReplayConcurrency = 100_000; break;
                case "DeadLetterReplayInterval": o.AuditLog.DeadLetterReplayInterval = TimeSpan.Zero; break;
                default: o.AuditLog.Path = " "; break;
            }
        });

        var ex = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<CosmosAuditOptions>>().Value);
        Assert.Contains($"CosmosAuditOptions.AuditLog.{option}", ex.Message, StringComparison.Ordinal);
    }
}
