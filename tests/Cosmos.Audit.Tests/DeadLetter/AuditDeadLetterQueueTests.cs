using Cosmos.Audit.Log;
using Cosmos.Audit.Telemetry;
using Cosmos.Audit.Tests.AuditLog;
using Cosmos.TestUtils;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;

namespace Cosmos.Audit.Tests.DeadLetter;

public sealed class AuditDeadLetterQueueTests
{
    [Fact]
    public async Task ReplayAsync_SinkFailing30PercentOver100kEvents_SinkHoldsEveryEventExactlyOnce()
    {
        using var dir = new TempDirectory();
        const int total = 100_000;
        var sink = new FlakySink(0.30, seed: 4242);
        await using var queue = new AuditDeadLetterQueue(new AuditDeadLetterQueueOptions { Directory = dir.Path, ReplayConcurrency = 256, FlushToDisk = false });
        using var publisher = new AuditPublisher(sink, queue);

        var deadLettered = 0;
        for (var start = 0; start < total; start += 2000)
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(start, 2000).Select(i => publisher.PublishAsync(AuditEvents.Make(i)).AsTask()));
            deadLettered += outcomes.Count(o => o == AuditPublishOutcome.DeadLettered);
        }

        Assert.InRange(deadLettered, (int)(total * 0.27), (int)(total * 0.33));
        Assert.Equal(deadLettered, queue.Count);

        var rounds = 0;
        while (queue.Count > 0)
        {
            Assert.True(++rounds <= 40, $"the queue still holds {queue.Count} events after 40 replays");
            await publisher.ReplayDeadLettersAsync();
        }

        Assert.Equal(total, sink.Stored.Count);
        Assert.All(sink.Stored.Values, count => Assert.Equal(1, count));
        Assert.All(Enumerable.Range(0, total), i => Assert.True(sink.Stored.ContainsKey(AuditEvents.Make(i).EventId)));
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "audit_dlq_*"));
    }

    [Fact]
    public async Task ReplayAsync_IntoTheAuditLogFile_LogHoldsEachEventOnceAndVerifies()
    {
        using var dir = new TempDirectory();
        await using var log = await AuditLogFile.OpenAsync(dir.File("audit.jsonl"));
        await using var queue = new AuditDeadLetterQueue(new AuditDeadLetterQueueOptions { Directory = dir.File("dlq") });
        for (var i = 0; i < 50; i++)
        {
            await queue.EnqueueAsync(AuditEvents.Make(i), new IOException("down"));
        }

        // Ten of them reached the log before (their failure was a lost acknowledgement), and two are queued twice.
        for (var i = 0; i < 10; i++)
        {
            await log.AppendAsync(AuditEvents.Make(i));
        }

        await queue.EnqueueAsync(AuditEvents.Make(20));
        await queue.EnqueueAsync(AuditEvents.Make(21));

        var result = await queue.ReplayAsync(log);

        Assert.Equal(new AuditReplayResult(Written: 40, AlreadyPresent: 10, Duplicates: 2, Failed: 0, Unreadable: 0), result);
        Assert.Equal(0, queue.Count);
        Assert.Equal(50, log.Count);
        var verification = await log.VerifyAsync();
        Assert.True(verification.IsValid, verification.ToString());
    }

    [Fact]
    public async Task Constructor_ExistingDeadLetterFiles_AreCountedAndReplayedAfterRestart()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new AuditDeadLetterQueueOptions { Directory = dir.Path, FlushToDisk = false };
        await using (var queue = new AuditDeadLetterQueue(options, clock))
        {
            for (var i = 0; i < 5; i++)
            {
                await queue.EnqueueAsync(AuditEvents.Make(i), new IOException("down"));
            }
        }

        var file = Assert.Single(Directory.EnumerateFiles(dir.Path, "audit_dlq_*.jsonl"));
        Assert.Equal(5, File.ReadAllLines(file).Length);

        // A crash mid-enqueue leaves a torn line: it is ignored (its caller never got an acknowledgement).
        await File.AppendAllTextAsync(file, "{\"deadLetteredAt\":\"2026-01-01T00:00:00Z\",\"attem");
        clock.Advance(TimeSpan.FromMinutes(3));
        await using var restarted = new AuditDeadLetterQueue(options, clock);
        Assert.Equal(5, restarted.Count);
        Assert.Equal(TimeSpan.FromMinutes(3), restarted.OldestEntryAge);

        var sink = new FlakySink(0, seed: 1);
        var result = await restarted.ReplayAsync(sink);
        Assert.Equal(5, result.Written);
        Assert.Equal(5, sink.Stored.Count);
        Assert.Equal(0, restarted.Count);
        Assert.Null(restarted.OldestEntryAge);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task ReplayAsync_UnreadableLine_KeepsTheFileAsUnreadableAndReplaysTheRest()
    {
        using var dir = new TempDirectory();
        var options = new AuditDeadLetterQueueOptions { Directory = dir.Path, FlushToDisk = false };
        await using (var queue = new AuditDeadLetterQueue(options))
        {
            await queue.EnqueueAsync(AuditEvents.Make(1));
            await queue.EnqueueAsync(AuditEvents.Make(2));
        }

        var file = Assert.Single(Directory.EnumerateFiles(dir.Path));
        await File.AppendAllTextAsync(file, "not json\n");
        await using var reopened = new AuditDeadLetterQueue(options);
        var sink = new FlakySink(0, seed: 1);

        var result = await reopened.ReplayAsync(sink);

        Assert.Equal(2, result.Written);
        Assert.Equal(1, result.Unreadable);
        Assert.True(File.Exists(file + ".unreadable"));
        Assert.Equal(0, reopened.Count);
    }

    [Fact]
    public async Task Metrics_FailuresQueueSizeAndAge_AreReportedUnderTheCosmosAuditMeter()
    {
        using var dir = new TempDirectory();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var metrics = new MetricCollector(AuditTelemetry.MeterName, meterFactory);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var sink = new FlakySink(1.0, seed: 7);
        await using var queue = new AuditDeadLetterQueue(new AuditDeadLetterQueueOptions { Directory = dir.Path, FlushToDisk = false }, clock, meterFactory);
        using var publisher = new AuditPublisher(sink, queue, meterFactory);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(AuditPublishOutcome.DeadLettered, await publisher.PublishAsync(AuditEvents.Make(i)));
        }

        clock.Advance(TimeSpan.FromSeconds(90));
        metrics.RecordObservableInstruments();
        Assert.Equal(10, metrics.Sum(AuditTelemetry.EventFailures));
        Assert.All(metrics.For(AuditTelemetry.EventFailures), m => Assert.Equal("write", m.Tags["stage"]));
        Assert.Equal(10, metrics.For(AuditTelemetry.DeadLetterSize)[^1].Value);
        Assert.Equal(90, metrics.For(AuditTelemetry.DeadLetterOldestEventAge)[^1].Value);

        sink.FailureRate = 0;
        var storedDespiteFailure = sink.Stored.Count;
        var result = await publisher.ReplayDeadLettersAsync();
        Assert.Equal(storedDespiteFailure, result.AlreadyPresent);
        Assert.Equal(10, sink.Stored.Count);
        metrics.RecordObservableInstruments();
        Assert.Equal(0, metrics.For(AuditTelemetry.DeadLetterSize)[^1].Value);
        Assert.Equal(0, metrics.For(AuditTelemetry.DeadLetterOldestEventAge)[^1].Value);
        Assert.Equal(10 - storedDespiteFailure, metrics.Sum(AuditTelemetry.DeadLetterReplayed));
    }

    [Fact]
    public async Task Metrics_ReplayThatFailsAgain_CountsReplayFailures()
    {
        using var dir = new TempDirectory();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var metrics = new MetricCollector(AuditTelemetry.MeterName, meterFactory);
        await using var queue = new AuditDeadLetterQueue(new AuditDeadLetterQueueOptions { Directory = dir.Path, FlushToDisk = false }, meterFactory: meterFactory);
        await queue.EnqueueAsync(AuditEvents.Make(1));
        await queue.EnqueueAsync(AuditEvents.Make(2));

        var result = await queue.ReplayAsync(new FlakySink(1.0, seed: 3));

        Assert.Equal(2, result.Failed);
        Assert.Equal(2, queue.Count);
        Assert.Equal(2, metrics.For(AuditTelemetry.EventFailures).Count(m => (string?)m.Tags["stage"] == "replay"));
    }

    [Fact]
    public async Task PublishAsync_CallerCancelsWhileTheSinkHangs_EventIsDeadLettered()
    {
        using var dir = new TempDirectory();
        await using var queue = new AuditDeadLetterQueue(new AuditDeadLetterQueueOptions { Directory = dir.Path, FlushToDisk = false });
        using var publisher = new AuditPublisher(new HangingSink(), queue);
        using var cts = new CancellationTokenSource();
        var publish = publisher.PublishAsync(AuditEvents.Make(1), cts.Token).AsTask();
        await cts.CancelAsync();

        Assert.Equal(AuditPublishOutcome.DeadLettered, await publish);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Constructor_BadOptions_ThrowNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new AuditDeadLetterQueue(new AuditDeadLetterQueueOptions { ReplayConcurrency = 0 }));
        Assert.Equal("ReplayConcurrency", ex.ParamName);
        Assert.Throws<ArgumentNullException>(() => new AuditDeadLetterQueue(null!));
    }

    private sealed class HangingSink : IAuditSink
    {
        public async ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
            await Task.Delay(Timeout.Infinite, cancellationToken);

        public ValueTask<bool> ContainsAsync(Guid eventId, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
    }
}
