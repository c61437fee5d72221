using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Telemetry;
using Cosmos.Audit.Tests.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Audit.Tests.Telemetry;

public sealed class AuditTelemetryTests
{
    [Fact]
    public async Task Instruments_AllPublishedOnTheCosmosAuditMeterUnderTheirDocumentedNames()
    {
        var published = new HashSet<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == AuditTelemetry.MeterName)
                {
                    lock (published)
                    {
                        published.Add(instrument.Name);
                    }
                }
            },
        };
        listener.Start();
        await using var host = AuditTestHost.Create();

        // Resolving the pipeline creates the log, the queue, the publisher and the identity services with their instruments.
        _ = host.Pipeline;
        await host.Pipeline.CreateAsync(host.TokenFor("alice123", "alice", "editor"), "docs", "d1", new JsonObject(), AuditTestHost.Write);

        string[] expected =
        [
            AuditTelemetry.EventFailures, AuditTelemetry.DeadLetterSize, AuditTelemetry.DeadLetterOldestEventAge, AuditTelemetry.DeadLetterReplayed,
            AuditTelemetry.SecurityEvents, AuditTelemetry.SecurityEventsSuppressed, AuditTelemetry.WritesRefused,
            AuditTelemetry.TokenValidations, AuditTelemetry.AuthorizationDenials, AuditTelemetry.RefreshReuse,
        ];
        Assert.All(expected, name => Assert.Contains(name, published));
        Assert.All(published, name => Assert.StartsWith("cosmos.audit.", name, StringComparison.Ordinal));
        Assert.Equal("Cosmos.Audit", AuditTelemetry.MeterName);
    }

    [Fact]
    public async Task Instruments_OneHostsMeter_EachInstrumentCreatedOnce()
    {
        await using var host = AuditTestHost.Create();
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        _ = host.Pipeline;
        var names = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    lock (names)
                    {
                        names.Add(instrument.Name);
                    }
                }
            },
        };
        listener.Start();

        Assert.NotEmpty(names);
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public async Task AuditedWrite_WithAListener_OneSpanWithActionCollectionAndStatus()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AuditTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = AuditTestHost.Create();
        var token = host.TokenFor("vic", "victor", "viewer");

        await host.Pipeline.CreateAsync(token, "docs", "d1", new JsonObject(), AuditTestHost.Write);

        var span = Assert.Single(spans, s => s.DisplayName == AuditTelemetry.AuditedWriteSpan && (string?)s.GetTagItem("cosmos.audit.collection") == "docs");
        Assert.Equal("Cosmos.Audit", span.Source.Name);
        Assert.Equal("Create", span.GetTagItem("cosmos.audit.action"));
        Assert.Equal(nameof(AuditedWriteStatus.Forbidden), span.GetTagItem("cosmos.audit.status"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }
}
