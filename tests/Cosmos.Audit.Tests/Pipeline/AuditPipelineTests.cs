using System.Text.Json;
using System.Text.Json.Nodes;
using Cosmos.Audit.Authors;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Audit.Tests.Pipeline;

public sealed class AuditPipelineTests
{
    [Fact]
    public async Task CreateAsync_ValidTokenWithPermission_StampsStoresAndAuditsTheWrite()
    {
        await using var host = AuditTestHost.Create();
        var token = host.TokenFor("alice123", "alice", "editor");
        var forged = new JsonObject { ["title"] = "Q3 plan", ["_created_by"] = "mallory", ["_deleted"] = true };

        var result = await host.Pipeline.CreateAsync("Bearer " + token, "docs", "d1", forged, AuditTestHost.Write);

        Assert.Equal(AuditedWriteStatus.Succeeded, result.Status);
        Assert.Equal(AuditPublishOutcome.Written, result.AuditOutcome);
        var stored = (await host.Store.GetAsync("docs", "d1"))!.Document;
        Assert.Equal("alice123", (string?)stored["_created_by"]);
        Assert.Equal("alice", (string?)stored["_created_by_username"]);
        Assert.Equal("2026-03-01T09:00:00.0000000Z", (string?)stored["_created_at"]);
        Assert.False((bool)stored["_deleted"]!);

        var auditEvent = result.Event!;
        Assert.Equal(AuditAction.Create, auditEvent.Action);
        Assert.Null(auditEvent.Before);
        Assert.Equal("alice123", (string?)auditEvent.After!["_created_by"]);
        var author = host.Services.GetRequiredService<AuthorStringSigner>().Verify(auditEvent.Author);
        Assert.True(author.IsValid, author.ToString());
        Assert.StartsWith("alice (alice123)|", auditEvent.Author, StringComparison.Ordinal);

        var log = host.Services.GetRequiredService<AuditLogFile>();
        Assert.True(await log.ContainsAsync(auditEvent.EventId));
        Assert.True((await log.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task UpdateAsync_AnotherUserLater_KeepsCreatedFieldsAndAuditsBeforeAndAfter()
    {
        await using var host = AuditTestHost.Create();
        await host.Pipeline.CreateAsync(host.TokenFor("alice123", "alice", "editor"), "docs", "d1", new JsonObject { ["v"] = 1 }, AuditTestHost.Write);
        host.Clock.Advance(TimeSpan.FromMinutes(5));

        var update = new JsonObject { ["v"] = 2, ["_created_by"] = "bob-forged" };
        var result = await host.Pipeline.UpdateAsync(host.TokenFor("bob7", "bob", "editor"), "docs", "d1", update, AuditTestHost.Write);

        Assert.True(result.Succeeded, result.Message);
        var stored = (await host.Store.GetAsync("docs", "d1"))!.Document;
        Assert.Equal("alice123", (string?)stored["_created_by"]);
        Assert.Equal("2026-03-01T09:00:00.0000000Z", (string?)stored["_created_at"]);
        Assert.Equal("bob7", (string?)stored["_updated_by"]);
        Assert.Equal("2026-03-01T09:05:00.0000000Z", (string?)stored["_updated_at"]);
        Assert.Equal(1, (int)result.Event!.Before!["v"]!);
        Assert.Equal(2, (int)result.Event.After!["v"]!);
        Assert.Equal(AuditAction.Update, result.Event.Action);
    }

    [Fact]
    public async Task DeleteAndRestoreAsync_SoftDeleteThenUndelete_AreStampedAndAuditedInOrder()
    {
        await using var host = AuditTestHost.Create();
        var token = host.TokenFor("alice123", "alice", "editor");
        await host.Pipeline.CreateAsync(token, "docs", "d1", new JsonObject { ["v"] = 1 }, AuditTestHost.Write);

        var deleted = await host.Pipeline.DeleteAsync(token, "docs", "d1", AuditTestHost.Write);
        Assert.True(deleted.Succeeded);
        Assert.True((bool)(await host.Store.GetAsync("docs", "d1"))!.Document["_deleted"]!);
        Assert.Equal(AuditedWriteStatus.Conflict, (await host.Pipeline.UpdateAsync(token, "docs", "d1", new JsonObject(), AuditTestHost.Write)).Status);
        Assert.Equal(AuditedWriteStatus.Conflict, (await host.Pipeline.DeleteAsync(token, "docs", "d1", AuditTestHost.Write)).Status);

        var restored = await host.Pipeline.RestoreAsync(token, "docs", "d1", AuditTestHost.Write);
        Assert.True(restored.Succeeded);
        var stored = (await host.Store.GetAsync("docs", "d1"))!.Document;
        Assert.False((bool)stored["_deleted"]!);
        Assert.Null(stored["_deleted_by"]);
        Assert.Equal(AuditedWriteStatus.Conflict, (await host.Pipeline.RestoreAsync(token, "docs", "d1", AuditTestHost.Write)).Status);
        Assert.Equal(AuditedWriteStatus.Conflict, (await host.Pipeline.CreateAsync(token, "docs", "d1", new JsonObject(), AuditTestHost.Write)).Status);
        Assert.Equal(AuditedWriteStatus.NotFound, (await host.Pipeline.UpdateAsync(token, "docs", "nope", new JsonObject(), AuditTestHost.Write)).Status);

        var log = host.Services.GetRequiredService<AuditLogFile>();
        var actions = (await File.ReadAllLinesAsync(log.FilePath))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("event").GetProperty("action").GetString()!)
            .ToArray();
        Assert.Equal(["Create", "Delete", "Restore"], actions);
    }

    [Theory]
    [InlineData(null, TokenFailureReason.Malformed)]
    [InlineData("", TokenFailureReason.Malformed)]
    [InlineData("Bearer not-a-jwt", TokenFailureReason.Malformed)]
    [InlineData("tampered", TokenFailureReason.InvalidSignature)]
    public async Task CreateAsync_MissingOrInvalidToken_UnauthenticatedAndNothingWritten(string? token, TokenFailureReason expected)
    {
        await using var host = AuditTestHost.Create();
        if (token == "tampered")
        {
            var valid = host.TokenFor("alice123", "alice", "editor");
            token = valid[..^2] + (valid[^2] == 'A' ? "B" : "A") + valid[^1];
        }

        var result = await host.Pipeline.CreateAsync(token, "docs", "d1", new JsonObject(), AuditTestHost.Write);

        Assert.Equal(AuditedWriteStatus.Unauthenticated, result.Status);
        Assert.Equal(expected, result.TokenFailure);
        Assert.Equal(0, host.Store.Count);

        // No change is recorded, only the failed authentication (without the token).
        var log = host.Services.GetRequiredService<AuditLogFile>();
        var line = (await File.ReadAllLinesAsync(log.FilePath)).Single();
        Assert.Contains("\"action\":\"AuthenticationFailed\"", line, StringComparison.Ordinal);
        Assert.Contains("\"author\":\"\"", line, StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(token) && token != "Bearer not-a-jwt")
        {
            Assert.DoesNotContain(token.Split('.')[^1], line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CreateAsync_UserWithoutThePermission_ForbiddenNamingItAndNothingWritten()
    {
        await using var host = AuditTestHost.Create();

        var result = await host.Pipeline.CreateAsync(host.TokenFor("vic", "victor", "viewer"), "docs", "d1", new JsonObject(), AuditTestHost.Write);

        Assert.Equal(AuditedWriteStatus.Forbidden, result.Status);
        Assert.Equal(AuditTestHost.Write, result.MissingPermission);
        Assert.Equal(0, host.Store.Count);

        // The denial itself is an audit record (OWASP: access-control failures are logged), with the actor and the target.
        var log = host.Services.GetRequiredService<AuditLogFile>();
        Assert.Equal(1, log.Count);
        var line = (await File.ReadAllLinesAsync(log.FilePath)).Single();
        Assert.Contains("\"action\":\"AccessDenied\"", line, StringComparison.Ordinal);
        Assert.Contains("\"documentId\":\"d1\"", line, StringComparison.Ordinal);
        Assert.Contains("\"author\":\"victor (vic)|verified", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_TheStoreSeesTheCurrentUser()
    {
        var store = new UserCapturingStore();
        await using var host = AuditTestHost.Create();
        var pipeline = new AuditPipeline(
            host.Services.GetRequiredService<AccessTokenValidator>(),
            host.Services.GetRequiredService<IUserContextAccessor>(),
            host.Services.GetRequiredService<Cosmos.Audit.Authorization.IAuditAuthorizationService>(),
            host.Services.GetRequiredService<Cosmos.Audit.Stamping.AuditStamper>(),
            store,
            host.Services.GetRequiredService<AuthorStringSigner>(),
            host.Services.GetRequiredService<AuditPublisher>(),
            host.Clock,
            host.Services.GetRequiredService<IAuditSecurityEventSink>(),
            new Cosmos.Audit.Validators.Internal.AuditCommitValidatorChain([]),
            new AuditDocumentLimits(),
            host.Services.GetRequiredService<Cosmos.Audit.Telemetry.AuditTelemetryInstruments>());
        store.Accessor = host.Services.GetRequiredService<IUserContextAccessor>();

        await pipeline.CreateAsync(host.TokenFor("alice123", "alice", "editor"), "docs", "d1", new JsonObject(), AuditTestHost.Write);

        Assert.Equal("alice123", store.SeenUserId);
        Assert.Null(store.Accessor.Current);
    }

    private sealed class UserCapturingStore : IAuditDocumentStore
    {
        public IUserContextAccessor Accessor { get; set; } = null!;

        public string? SeenUserId { get; private set; }

        public ValueTask<AuditStoredDocument?> GetAsync(string collection, string documentId, CancellationToken cancellationToken = default) => ValueTask.FromResult<AuditStoredDocument?>(null);

        public ValueTask<long> PutAsync(string collection, string documentId, JsonObject document, long expectedVersion, CancellationToken cancellationToken = default)
        {
            SeenUserId = Accessor.Current?.UserId;
            return ValueTask.FromResult(expectedVersion + 1);
        }
    }
}
