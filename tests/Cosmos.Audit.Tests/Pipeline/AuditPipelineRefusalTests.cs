using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Validators;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Audit.Tests.Pipeline;

public sealed class AuditPipelineRefusalTests
{
    [Fact]
    public async Task CreateAsync_Document1500LevelsDeep_RefusedNotStoredAndRefusalRecorded()
    {
        await using var host = AuditTestHost.Create();
        var document = new JsonObject();
        var node = document;
        for (var i = 0; i < 1500; i++)
        {
            var child = new JsonObject();
            node["n"] = child;
            node = child;
        }

        var result = await host.Pipeline.CreateAsync(host.TokenFor("alice123", "alice", "editor"), "docs", "deep", document, AuditTestHost.Write);

        Assert.Equal(AuditedWriteStatus.Refused, result.Status);
        Assert.Equal("limits", result.Verdict!.Validator);
        Assert.Contains("nested deeper than 64 levels", result.Message, StringComparison.Ordinal);
        Assert.StartsWith("/n/n/n", result.Verdict.Errors[0].Location, StringComparison.Ordinal);
        Assert.Equal(0, host.Store.Count);
        var line = (await File.ReadAllLinesAsync(host.Services.GetRequiredService<AuditLogFile>().FilePath)).Single();
        Assert.Contains("\"action\":\"WriteRefused\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_DocumentOverTheSizeLimit_Refused()
    {
        await using var host = AuditTestHost.Create(configure: o => o.Pipeline.Limits.MaxDocumentBytes = 4096);
        var document = new JsonObject { ["blob"] = new string('x', 5000) };

        var result = await host.Pipeline.CreateAsync(host.TokenFor("alice123", "alice", "editor"), "docs", "big", document, AuditTestHost.Write);

        Assert.Equal(AuditedWriteStatus.Refused, result.Status);
        Assert.Contains("at most 4096 are allowed", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Store.Count);
    }

    // Built in code: test-case serialization would itself replace a lone surrogate in attribute data.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task CreateAsync_LoneSurrogateInId_RefusedSoTwoIdsNeverLogAlike(int variant)
    {
        var (documentId, collection) = variant switch
        {
            0 => ("a" + (char)0xD800 + "b", "docs"),
            1 => (((char)0xDC00).ToString(), "docs"),
            _ => ("ok", "do" + (char)0xDBFF + "cs"),
        };
        await using var host = AuditTestHost.Create();

        var result = await host.Pipeline.CreateAsync(host.TokenFor("alice123", "alice", "editor"), collection, documentId, new JsonObject(), AuditTestHost.Write);

        Assert.Equal(AuditedWriteStatus.Refused, result.Status);
        Assert.Contains("lone UTF-16 surrogate", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Store.Count);
    }

    [Fact]
    public async Task CreateAsync_LoneSurrogateInAValueOrPropertyName_RefusedWithPointers()
    {
        await using var host = AuditTestHost.Create();
        var document = new JsonObject { ["name"] = "x\uD83D", ["tags"] = new JsonArray("ok", "\uDE00"), ["k\uD800"] = 1 };

        var result = await host.Pipeline.CreateAsync(host.TokenFor("alice123", "alice", "editor"), "docs", "d1", document, AuditTestHost.Write);

        Assert.Equal(AuditedWriteStatus.Refused, result.Status);
        Assert.Equal(["/name", "/tags/1", "/k\uD800"], result.Verdict!.Errors.Select(e => e.Location));
    }

    [Fact]
    public async Task CreateAsync_ValidSurrogatePair_Stored()
    {
        await using var host = AuditTestHost.Create();
        var result = await host.Pipeline.CreateAsync(host.TokenFor("alice123", "alice", "editor"), "docs", "emoji-\U0001F600", new JsonObject { ["v"] = "\U0001F600" }, AuditTestHost.Write);
        Assert.True(result.Succeeded, result.Message);
    }

    [Fact]
    public async Task UpdateAsync_StaleExpectedVersion_RefusedAndStoredDocumentKept()
    {
        await using var host = AuditTestHost.Create();
        var token = host.TokenFor("alice123", "alice", "editor");
        Assert.Equal(1, (await host.Pipeline.CreateAsync(token, "docs", "d1", new JsonObject { ["n"] = 1 }, AuditTestHost.Write)).Version);
        Assert.Equal(2, (await host.Pipeline.UpdateAsync(token, "docs", "d1", new JsonObject { ["n"] = 2 }, AuditTestHost.Write, expectedVersion: 1)).Version);

        var stale = await host.Pipeline.UpdateAsync(token, "docs", "d1", new JsonObject { ["n"] = 3 }, AuditTestHost.Write, expectedVersion: 1);

        Assert.Equal(AuditedWriteStatus.VersionMismatch, stale.Status);
        Assert.Equal(2, stale.Version);
        Assert.Equal(2, (int)(await host.Store.GetAsync("docs", "d1"))!.Document["n"]!);
    }

    [Fact]
    public async Task UpdateAsync_ConcurrentUpdatesOfOneReadVersion_ExactlyOneWinsAndEachIsAudited()
    {
        await using var host = AuditTestHost.Create();
        var token = host.TokenFor("alice123", "alice", "editor");
        await host.Pipeline.CreateAsync(token, "docs", "d1", new JsonObject(), AuditTestHost.Write);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => host.Pipeline.UpdateAsync(token, "docs", "d1", new JsonObject { ["writer"] = i }, AuditTestHost.Write, expectedVersion: 1))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(AuditedWriteStatus.VersionMismatch, r.Status));
        var lines = await File.ReadAllLinesAsync(host.Services.GetRequiredService<AuditLogFile>().FilePath);
        Assert.Equal(2, lines.Count(l => l.Contains("\"action\":\"Create\"", StringComparison.Ordinal) || l.Contains("\"action\":\"Update\"", StringComparison.Ordinal)));
        Assert.Equal(15, lines.Count(l => l.Contains("\"action\":\"WriteRefused\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task UpdateAsync_ExpectedVersionZero_ThrowsNamingArgument()
    {
        await using var host = AuditTestHost.Create();
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            host.Pipeline.UpdateAsync("t", "docs", "d1", new JsonObject(), AuditTestHost.Write, expectedVersion: 0));
        Assert.Equal("expectedVersion", ex.ParamName);
    }
}
