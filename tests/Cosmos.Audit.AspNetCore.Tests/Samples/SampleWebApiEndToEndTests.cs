using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Audit.AspNetCore.Tests.Samples;

/// <summary>The Web API sample end to end: bearer challenges, permission policies, problem bodies and the audit record of a write.</summary>
public sealed class SampleWebApiEndToEndTests : IDisposable
{
    private readonly SampleApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static string Challenge(HttpResponseMessage response) => Assert.Single(response.Headers.WwwAuthenticate).ToString();

    private static async Task<JsonObject> Problem(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<HttpResponseMessage> WriteAsync(string? token, string id = "d1")
    {
        using var client = _factory.CreateClient(token);
        return await client.PostAsJsonAsync($"/documents/{id}", new { title = "hello" });
    }

    [Fact]
    public async Task Write_WithoutToken_Returns401WithBareBearerChallenge()
    {
        using var response = await WriteAsync(token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"cosmos-webapi-sample\"", Challenge(response));
        var problem = await Problem(response);
        Assert.Equal(401, (int)problem["status"]!);
        Assert.Null(problem["token_error"]);
        Assert.Empty(await _factory.AuditRecordsAsync("AuthenticationFailed"));
    }

    [Fact]
    public async Task Write_ExpiredToken_Returns401InvalidTokenExpired()
    {
        var token = await _factory.SignInAsync("alice");
        _factory.Time.Advance(TimeSpan.FromMinutes(16));

        using var response = await WriteAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            "Bearer realm=\"cosmos-webapi-sample\", error=\"invalid_token\", error_description=\"The token has expired.\"",
            Challenge(response));
        Assert.Equal("expired", (string)(await Problem(response))["token_error"]!);
        var failure = Assert.Single(await _factory.AuditRecordsAsync("AuthenticationFailed"));
        Assert.Contains("token expired", failure, StringComparison.Ordinal);
        Assert.Contains("POST /documents/d1", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(token, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_CachedTokenAfterExpiry_Returns401()
    {
        var token = await _factory.SignInAsync("alice");
        using (var first = await WriteAsync(token, "d-cache"))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        _factory.Time.Advance(TimeSpan.FromMinutes(16));
        using var response = await WriteAsync(token, "d-cache-2");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Write_BadSignature_Returns401InvalidTokenInvalidSignature()
    {
        var token = await _factory.SignInAsync("alice");
        var signatureStart = token.LastIndexOf('.') + 1;
        var forged = token[..signatureStart] + (token[signatureStart] == 'A' ? 'B' : 'A') + token[(signatureStart + 1)..];

        using var response = await WriteAsync(forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", Challenge(response), StringComparison.Ordinal);
        Assert.Equal("invalid_signature", (string)(await Problem(response))["token_error"]!);
    }

    [Fact]
    public async Task Write_TokenWithUnknownCriticalHeader_Returns401()
    {
        var token = _factory.SignHs256("""{"alg":"HS256","typ":"JWT","kid":"k1","crit":["urn:x-unknown"],"urn:x-unknown":true}""");

        using var response = await WriteAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", Challenge(response), StringComparison.Ordinal);
        Assert.Equal("unsupported_critical_header", (string)(await Problem(response))["token_error"]!);
        Assert.Contains("token unsupported_critical_header", Assert.Single(await _factory.AuditRecordsAsync("AuthenticationFailed")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_SameKeyWithoutCrit_IsAccepted()
    {
        // Control for the crit test: the same forged-key path passes when the header has no crit.
        var token = _factory.SignHs256("""{"alg":"HS256","typ":"JWT","kid":"k1"}""");

        using var response = await WriteAsync(token, "d-control");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Write_ViewerWithoutPermission_Returns403InsufficientScope()
    {
        var token = await _factory.SignInAsync("victor");

        using var response = await WriteAsync(token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            "Bearer realm=\"cosmos-webapi-sample\", error=\"insufficient_scope\", error_description=\"The caller lacks the permission 'documents.write'.\", scope=\"documents.write\"",
            Challenge(response));
        Assert.Equal("documents.write", (string)(await Problem(response))["missing_permission"]!);
        var denial = Assert.Single(await _factory.AuditRecordsAsync("AccessDenied"));
        Assert.Contains("missing permission", denial, StringComparison.Ordinal);
        Assert.Contains("documents.write", denial, StringComparison.Ordinal);
        Assert.Contains("vic9", denial, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ViewerWithPermission_Returns200AndSeesTheUser()
    {
        using (await WriteAsync(await _factory.SignInAsync("alice"), "d-read"))
        {
        }

        using var client = _factory.CreateClient(await _factory.SignInAsync("victor"));
        using var response = await client.GetAsync("/documents/d-read");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("vic9", (string)body["read_by"]!);
        Assert.Equal("alice123", (string)body["document"]!["_created_by"]!);
    }

    [Fact]
    public async Task Write_AllowedUser_StoresStampedDocumentAndItsAuditRecord()
    {
        var token = await _factory.SignInAsync("alice");
        using var client = _factory.CreateClient(token);

        using var created = await client.PostAsJsonAsync("/documents/d2", new { title = "v1" });
        using var updated = await client.PutAsJsonAsync("/documents/d2", new { title = "v2" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var body = (await updated.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("v2", (string)body["document"]!["title"]!);
        Assert.Equal("\"2\"", updated.Headers.ETag?.Tag);
        Assert.Equal("alice123", (string)body["document"]!["_created_by"]!);
        Assert.StartsWith("alice (alice123)|verified|", (string)body["author"]!, StringComparison.Ordinal);

        var log = _factory.Services.GetRequiredService<AuditLogFile>();
        Assert.True(await log.ContainsAsync(Guid.Parse((string)body["audit_event"]!)));
        Assert.True(await log.ContainsAsync(Guid.Parse((string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["audit_event"]!)));
        using var verify = await client.GetAsync("/audit/verify");
        var verification = (await verify.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True((bool)verification["valid"]!);
        Assert.Equal(2, (long)verification["records"]!);
    }

    [Fact]
    public async Task Write_PipelineRefusal_ReturnsProblemWithAuditStatus()
    {
        var token = await _factory.SignInAsync("alice");
        using (await WriteAsync(token, "d3"))
        {
        }

        using var again = await WriteAsync(token, "d3");
        using var client = _factory.CreateClient(token);
        using var missing = await client.PutAsJsonAsync("/documents/none", new { title = "x" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("conflict", (string)(await Problem(again))["audit_status"]!);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not_found", (string)(await Problem(missing))["audit_status"]!);
    }

    [Fact]
    public async Task Verify_EditorWithoutAuditorRole_IsForbidden_AuditorAllowed()
    {
        using var viewer = _factory.CreateClient(await _factory.SignInAsync("victor"));
        using var alice = _factory.CreateClient(await _factory.SignInAsync("alice"));

        using var denied = await viewer.GetAsync("/audit/verify");
        using var allowed = await alice.GetAsync("/audit/verify");

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Write_ClientSendsAuditFields_RefusedByTamperValidatorAs422()
    {
        using var client = _factory.CreateClient(await _factory.SignInAsync("alice"));

        using var response = await client.PostAsJsonAsync("/documents/d-tamper", new { title = "x", _created_by = "mallory" });
        using var read = await client.GetAsync("/documents/d-tamper");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("refused", (string)problem["audit_status"]!);
        Assert.Equal("tamper", (string)problem["validator"]!);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.NotEmpty(await _factory.AuditRecordsAsync("WriteRefused"));
    }

    [Fact]
    public async Task Write_DocumentAgainstSchema_RefusedWithJsonPointerErrors()
    {
        using var client = _factory.CreateClient(await _factory.SignInAsync("alice"));

        using var response = await client.PostAsJsonAsync("/documents/d-schema", new { title = 42 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("schema", (string)problem["validator"]!);
        var error = Assert.Single(problem["errors"]!.AsArray());
        Assert.Equal("/title", (string)error!["pointer"]!);
    }

    [Fact]
    public async Task Update_StaleIfMatch_Returns412WithCurrentVersion()
    {
        using var client = _factory.CreateClient(await _factory.SignInAsync("alice"));
        using (await client.PostAsJsonAsync("/documents/d-version", new { title = "v1" }))
        {
        }

        using var first = new HttpRequestMessage(HttpMethod.Put, "/documents/d-version") { Content = JsonContent.Create(new { title = "v2" }) };
        first.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
        using var stale = new HttpRequestMessage(HttpMethod.Put, "/documents/d-version") { Content = JsonContent.Create(new { title = "v2b" }) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));

        using var accepted = await client.SendAsync(first);
        using var refused = await client.SendAsync(stale);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        var problem = await Problem(refused);
        Assert.Equal("version_mismatch", (string)problem["audit_status"]!);
        Assert.Equal(2, (long)problem["current_version"]!);
    }
}
