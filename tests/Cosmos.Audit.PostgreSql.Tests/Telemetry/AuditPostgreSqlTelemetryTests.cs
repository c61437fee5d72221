using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Cosmos.Audit.EventStore;
using Cosmos.Audit.PostgreSql.Documents;
using Cosmos.Audit.PostgreSql.EventStore;
using Cosmos.Audit.PostgreSql.Log;
using Cosmos.Audit.PostgreSql.Telemetry;
using Cosmos.Audit.PostgreSql.Tests.Infrastructure;
using Cosmos.Audit.PostgreSql.Tests.Log;
using Cosmos.Audit.PostgreSql.Tokens;
using Cosmos.Audit.Tokens;
using Cosmos.TestUtils;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Audit.PostgreSql.Tests.Telemetry;

[Collection(PostgreSqlCollection.Name)]
public sealed class AuditPostgreSqlTelemetryTests(PostgreSqlFixture fixture)
{
    [Fact]
    public async Task Instruments_AndSpans_UseThePublishedNames()
    {
        var dataSource = await fixture.CreateDatabaseAsync();
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var collector = new MetricCollector(AuditPostgreSqlTelemetry.MeterName, meterFactory);
        var spans = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == AuditPostgreSqlTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => { lock (spans) { spans.Add(a.OperationName); } },
        };
        ActivitySource.AddActivityListener(listener);

        await using (var log = new PostgreSqlAuditLog(dataSource, meterFactory: meterFactory))
        {
            await log.AppendAsync(PostgreSqlAuditLogTests.NewEvent(1));
            await log.VerifyAsync();
        }

        using var events = new PostgreSqlEventStore(dataSource, meterFactory: meterFactory);
        var stream = "t-" + Guid.NewGuid().ToString("N");
        await events.AppendAsync(stream, ExpectedVersion.NoStream, [new EventData(Guid.NewGuid(), "A", Encoding.UTF8.GetBytes("{}"))]);
        await Assert.ThrowsAsync<WrongExpectedVersionException>(() => events.AppendAsync(stream, ExpectedVersion.NoStream, [new EventData(Guid.NewGuid(), "A", Encoding.UTF8.GetBytes("{}"))]));
        using var tokens = new PostgreSqlRefreshTokenStore(dataSource, meterFactory: meterFactory);
        await tokens.RotateAsync("unknown", "next", DateTimeOffset.UnixEpoch, TimeSpan.FromDays(1));
        using var documents = new PostgreSqlAuditDocumentStore(dataSource, meterFactory: meterFactory);
        await documents.WriteAsync(Cosmos.Audit.Log.AuditEvent.Create(Cosmos.Audit.Log.AuditAction.Create, "c", "d", "a (b)|verified|ts:x|sig:y", null, new System.Text.Json.Nodes.JsonObject()), 0);

        Assert.Single(collector.For(AuditPostgreSqlTelemetry.AuditBatchSize));
        Assert.Single(collector.For(AuditPostgreSqlTelemetry.AuditBatchDuration));
        Assert.Equal(2, collector.Sum(AuditPostgreSqlTelemetry.AuditRecordsAppended));
        Assert.Equal(1, collector.Sum(AuditPostgreSqlTelemetry.EventsAppended));
        Assert.Equal("events", collector.For(AuditPostgreSqlTelemetry.ConcurrencyConflicts).Single().Tags["store"]);
        Assert.Equal(nameof(RefreshFailureReason.Unknown), collector.For(AuditPostgreSqlTelemetry.RefreshRotations).Single().Tags["result"]);
        lock (spans)
        {
            Assert.Contains(AuditPostgreSqlTelemetry.AuditBatchSpan, spans);
            Assert.Contains(AuditPostgreSqlTelemetry.VerifySpan, spans);
            Assert.Contains(AuditPostgreSqlTelemetry.EventAppendSpan, spans);
            Assert.Contains(AuditPostgreSqlTelemetry.DocumentWriteSpan, spans);
        }
    }

    [Fact]
    public async Task AuditBatchFailures_DatabaseUnreachable_AreCounted()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var collector = new MetricCollector(AuditPostgreSqlTelemetry.MeterName, meterFactory);
        await using var nowhere = Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=x;Timeout=2");
        await using var log = new PostgreSqlAuditLog(nowhere, meterFactory: meterFactory);

        await Assert.ThrowsAnyAsync<Exception>(async () => await log.AppendAsync(PostgreSqlAuditLogTests.NewEvent(1)));

        Assert.Equal(1, collector.Sum(AuditPostgreSqlTelemetry.AuditBatchFailures));
    }
}
