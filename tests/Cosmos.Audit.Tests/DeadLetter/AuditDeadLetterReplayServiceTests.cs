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
    public async Task StartAsync_InfiniteInterval_NothingIsReplayedHowEverLongTheHostRuns()
    {
        await using var host = AuditTestHost.Create(configure: o => o.AuditLog.DeadLetterReplayInterval = Timeout.InfiniteTimeSpan);
        var queue = host.Services.GetRequiredService<AuditDeadLetterQueue>();
        await queue.EnqueueAsync(Cosmos.Audit.Tests.AuditLog.AuditEvents.Make(1));
        await host.ReplayService.StartAsync(CancellationToken.None);

        host.Clock.Advance(TimeSpan.FromDays(1));

        Assert.True(host.ReplayService.LastReplay.IsCompleted);
        Assert.Equal(1, queue.Count);
    }

    [Theory]
    [InlineData("File.MaxBatchSize", "MaxBatchSize")]
    [InlineData("DeadLetter.ReplayConcurrency", "ReplayConcurrency")]
    [InlineData("DeadLetter.MaxBatchSize", "MaxBatchSize")]
    [InlineData("DeadLetterReplayInterval", "AuditLog.DeadLetterReplayInterval")]
    [InlineData("File.GatherWindow", "AuditLog.File.GatherWindow")]
    [InlineData("Path", "Path")]
    [InlineData("Pipeline.Limits.MaxDepth", "MaxDepth")]
    [InlineData("Pipeline.SecurityEvents.Window", "Pipeline.SecurityEvents.Window")]
    [InlineData("File.Checkpoints.Keys", "Checkpoints.Keys")]
    [InlineData("File.Checkpoints.ReusedSecret", "reuses a secret")]
    public async Task Options_BadAuditLogSetting_FailsAtStartNamingTheOption(string option, string named)
    {
        await using var host = AuditTestHost.Create(configure: o =>
        {
            switch (option)
            {
                case "File.MaxBatchSize": o.AuditLog.File.MaxBatchSize = 0; break;
                case "DeadLetter.ReplayConcurrency": o.AuditLog.DeadLetter.ReplayConcurrency = 100_000; break;
                case "DeadLetter.MaxBatchSize": o.AuditLog.DeadLetter.MaxBatchSize = -1; break;
                case "DeadLetterReplayInterval": o.AuditLog.DeadLetterReplayInterval = TimeSpan.Zero; break;
                case "File.GatherWindow": o.AuditLog.File.GatherWindow = TimeSpan.FromSeconds(1); break;
                case "Pipeline.Limits.MaxDepth": o.Pipeline.Limits.MaxDepth = 5000; break;
                case "Pipeline.SecurityEvents.Window": o.Pipeline.SecurityEvents.Window = TimeSpan.Zero; break;
                case "File.Checkpoints.Keys": o.AuditLog.File.Checkpoints.Keys.Add(new AuditCheckpointKey { Id = "bad id!", Secret = "AAAA" }); break;
                case "File.Checkpoints.ReusedSecret": o.AuditLog.File.Checkpoints.Keys.Add(new AuditCheckpointKey { Id = "cp", Secret = o.SigningKeys[0].Secret }); break;
                default: o.AuditLog.Path = " "; break;
            }
        });

        var ex = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<CosmosAuditOptions>>().Value);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_Defaults_DeadLetterBatchIsTheSameWithAndWithoutDependencyInjection()
    {
        await using var host = AuditTestHost.Create();
        var options = host.Services.GetRequiredService<IOptions<CosmosAuditOptions>>().Value;
        Assert.Equal(new AuditDeadLetterQueueOptions().MaxBatchSize, options.AuditLog.DeadLetter.MaxBatchSize);
        Assert.Equal(new AuditLogFileOptions().MaxBatchSize, options.AuditLog.File.MaxBatchSize);
    }
}
