using System.Diagnostics;
using Cosmos.Audit.AspNetCore.Telemetry;
using Cosmos.Audit.Users;
using Cosmos.TestUtils;
using Microsoft.AspNetCore.Builder;

namespace Cosmos.Audit.AspNetCore.Tests.Telemetry;

public sealed class AuditAspNetCoreTelemetryTests
{
    [Fact]
    public void Names_AreThePackageNames()
    {
        Assert.Equal("Cosmos.Audit.AspNetCore", AuditAspNetCoreTelemetry.MeterName);
        Assert.Equal("Cosmos.Audit.AspNetCore", AuditAspNetCoreTelemetry.ActivitySourceName);
    }

    [Fact]
    public async Task Requests_EmitEveryInstrumentAndTheAuthenticateSpan()
    {
        using var metrics = new MetricCollector(AuditAspNetCoreTelemetry.MeterName);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AuditAspNetCoreTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await TestHost.StartAsync(app => app.MapGet("/write", () => "ok").RequireAuthorization("documents.write"));
        var viewer = host.Issue(new UserContext("v1", "viewer") { Roles = ["viewer"] });
        var editor = host.Issue(new UserContext("e1", "editor") { Roles = ["editor"] });

        foreach (var token in new[] { editor, editor, viewer, "bad.token.value", null })
        {
            using var client = host.Client(token);
            using var response = await client.GetAsync("/write");
        }

        var authentications = metrics.For(AuditAspNetCoreTelemetry.AuthenticationsInstrument);
        Assert.Contains(authentications, m => (string)m.Tags["result"]! == "success" && (bool)m.Tags["cache_hit"]! == false);
        Assert.Contains(authentications, m => (string)m.Tags["result"]! == "success" && (bool)m.Tags["cache_hit"]! == true);
        Assert.Contains(authentications, m => (string)m.Tags["result"]! == "no_token");
        Assert.Contains(authentications, m => (string)m.Tags["result"]! == "malformed");
        Assert.Contains(metrics.For(AuditAspNetCoreTelemetry.ChallengesInstrument), m => (string)m.Tags["error"]! == "invalid_token");
        Assert.Contains(metrics.For(AuditAspNetCoreTelemetry.ChallengesInstrument), m => (string)m.Tags["error"]! == "none");
        Assert.Contains(metrics.For(AuditAspNetCoreTelemetry.PermissionDenialsInstrument), m => (string)m.Tags["permission"]! == "documents.write");
        lock (spans)
        {
            Assert.Contains(spans, s => s.OperationName == AuditAspNetCoreTelemetry.AuthenticateSpan && s.Status == ActivityStatusCode.Error);
            Assert.Contains(spans, s => s.OperationName == AuditAspNetCoreTelemetry.AuthenticateSpan && s.Status != ActivityStatusCode.Error);
        }
    }
}
