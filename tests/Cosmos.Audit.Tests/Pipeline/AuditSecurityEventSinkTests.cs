using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Audit.Tests.Pipeline;

public sealed class AuditSecurityEventSinkTests
{
    [Fact]
    public async Task RecordAsync_FailedAuthentication_WrittenToTheChainedLog()
    {
        await using var host = AuditTestHost.Create(configure: o => o.AuditLog.DeadLetterReplayInterval = Timeout.InfiniteTimeSpan);
        var sink = host.Services.GetRequiredService<IAuditSecurityEventSink>();

        Assert.True(await sink.RecordAsync(new AuditSecurityEvent
        {
            Kind = AuditSecurityEventKind.AuthenticationFailed,
            Reason = "token expired",
            Target = "POST /documents/42",
            Source = "10.0.0.7",
        }));

        var log = host.Services.GetRequiredService<AuditLogFile>();
        Assert.Equal(1, log.Count);
        var line = (await File.ReadAllLinesAsync(log.FilePath)).Single();
        Assert.Contains("\"action\":\"AuthenticationFailed\"", line, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"token expired\"", line, StringComparison.Ordinal);
        Assert.Contains("\"target\":\"POST /documents/42 from 10.0.0.7\"", line, StringComparison.Ordinal);
        Assert.True((await log.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task RecordAsync_FloodFromOneSource_LimitedThenSummarisedInNextWindow()
    {
        await using var host = AuditTestHost.Create(configure: o =>
        {
            o.Pipeline.SecurityEvents.PermitsPerPartition = 3;
            o.AuditLog.DeadLetterReplayInterval = Timeout.InfiniteTimeSpan;
        });
        var sink = host.Services.GetRequiredService<IAuditSecurityEventSink>();
        var flood = new AuditSecurityEvent { Kind = AuditSecurityEventKind.AuthenticationFailed, Reason = "bad signature", Source = "10.0.0.9" };

        var accepted = 0;
        for (var i = 0; i < 100; i++)
        {
            accepted += await sink.RecordAsync(flood) ? 1 : 0;
        }

        // Another source still gets through: one attacker cannot silence the others.
        Assert.True(await sink.RecordAsync(flood with { Source = "10.0.0.10" }));
        Assert.Equal(3, accepted);

        host.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await sink.RecordAsync(flood));

        var lines = await File.ReadAllLinesAsync(host.Services.GetRequiredService<AuditLogFile>().FilePath);
        Assert.Equal(6, lines.Length);
        Assert.Contains("\"reason\":\"97 security events over the rate limit were not recorded\"", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordAsync_GlobalLimit_BoundsManySources()
    {
        await using var host = AuditTestHost.Create(configure: o => o.Pipeline.SecurityEvents.PermitsPerWindow = 10);
        var sink = host.Services.GetRequiredService<IAuditSecurityEventSink>();
        var accepted = 0;
        for (var i = 0; i < 200; i++)
        {
            accepted += await sink.RecordAsync(new AuditSecurityEvent { Kind = AuditSecurityEventKind.AuthenticationFailed, Reason = "malformed", Source = $"10.1.{i / 256}.{i % 256}" }) ? 1 : 0;
        }

        Assert.Equal(10, accepted);
    }

    [Fact]
    public async Task RecordAsync_KnownActorWithLoneSurrogate_AuthorSignedAndSurrogateVisible()
    {
        await using var host = AuditTestHost.Create();
        var sink = host.Services.GetRequiredService<IAuditSecurityEventSink>();
        await sink.RecordAsync(new AuditSecurityEvent
        {
            Kind = AuditSecurityEventKind.AccessDenied,
            Reason = "missing permission 'documents.write'",
            Actor = new UserContext("bob1", "bob"),
            Collection = "docs",
            DocumentId = "a\uD800b",
        });

        var line = (await File.ReadAllLinesAsync(host.Services.GetRequiredService<AuditLogFile>().FilePath)).Single();
        Assert.Contains("\"action\":\"AccessDenied\"", line, StringComparison.Ordinal);
        Assert.Contains("\"author\":\"bob (bob1)|verified", line, StringComparison.Ordinal);
        Assert.Contains("\"documentId\":\"a\\\\uD800b\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordAsync_NoReason_ThrowsNamingArgument()
    {
        await using var host = AuditTestHost.Create();
        var sink = host.Services.GetRequiredService<IAuditSecurityEventSink>();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => sink.RecordAsync(new AuditSecurityEvent { Kind = AuditSecurityEventKind.AccessDenied, Reason = "" }).AsTask());
        Assert.Equal("securityEvent", ex.ParamName);
    }
}
