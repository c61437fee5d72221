// Cosmos.Audit over HTTP: bearer authentication, permission policies, stamped documents and a hash-chained audit log.
//   POST   /token                   demo login {"username":"alice","password":"alice-demo"} -> access + refresh token
//   GET    /documents/{id}          read              (policy documents.read)
//   POST   /documents/{id}          create            (policy documents.write, JSON body)
//   PUT    /documents/{id}          update            (policy documents.write)
//   DELETE /documents/{id}          soft delete       (policy documents.write)
//   POST   /documents/{id}/restore  undelete          (policy documents.write)
//   GET    /audit/verify            verify the audit log's hash chain (policy audit.verify)
// A missing or rejected token gets 401 with an RFC 6750 challenge, a missing permission 403 insufficient_scope,
// every refusal (validators, versions, conflicts) an RFC 9457 problem body; failed authentications and denials are
// written to the audit log as security events.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cosmos.Audit.AspNetCore.Http;
using Cosmos.Audit.AspNetCore.Problems;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;

const string Collection = "documents";
const string ReadPermission = "documents.read";
const string WritePermission = "documents.write";
const string VerifyPermission = "audit.verify";

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["Urls"] ?? "http://127.0.0.1:5080");

// A real host loads the key from a secret store; the demo makes one per run (tokens die with the process).
var signingKey = builder.Configuration["Audit:SigningKey"] is { Length: > 0 } configured
    ? new AuditSigningKey { Id = "k1", Secret = configured }
    : AuditSigningKey.FromBytes("demo", RandomNumberGenerator.GetBytes(32));
var dataDirectory = builder.Configuration["Audit:DataDirectory"] ?? Path.Combine(AppContext.BaseDirectory, "audit-data");

builder.Services.AddSingleton<IAuditDocumentStore, InMemoryAuditDocumentStore>();
builder.Services.AddProblemDetails();
builder.Services.AddCosmosAudit(options =>
{
    options.SigningKeys = [signingKey];
    options.Jwt.Issuer = "http://127.0.0.1:5080";
    options.Jwt.Audience = "cosmos-webapi-sample";
    options.RolePermissions["editor"] = [WritePermission, ReadPermission];
    options.RolePermissions["viewer"] = [ReadPermission];
    options.RolePermissions["auditor"] = [VerifyPermission];
    options.AuditLog.Path = Path.Combine(dataDirectory, "audit.jsonl");
    options.AuditLog.DeadLetter.Directory = Path.Combine(dataDirectory, "dlq");
});
// Commit validators run after authorization and before the write: audit fields sent by a client are refused (tamper),
// and documents must match the collection's schema.
builder.Services.AddCosmosAuditValidators(validators => validators
    .AddTamper()
    .AddSchema(Collection, """{"type":"object","required":["title"],"properties":{"title":{"type":"string","maxLength":200}}}"""));
builder.Services.AddAuthentication().AddCosmosBearer(options => options.Realm = "cosmos-webapi-sample");

var app = builder.Build();

app.MapGet("/", () => "Cosmos.Audit sample: POST /token, then GET/POST/PUT/DELETE /documents/{id} with the bearer token; GET /audit/verify");

app.MapPost("/token", async (LoginRequest login, TokenIssuer issuer, CancellationToken cancellationToken) =>
{
    var user = DemoUsers.SignIn(login.Username, login.Password);
    if (user is null)
    {
        return Results.Problem("Unknown user or wrong password.", statusCode: StatusCodes.Status401Unauthorized);
    }

    var tokens = await issuer.IssueAsync(user, cancellationToken);
    return Results.Ok(new { access_token = tokens.AccessToken, refresh_token = tokens.RefreshToken, expires_at = tokens.AccessTokenExpiresAt });
});

// The bearer scheme has authenticated the caller before the endpoint runs; HttpContext.User and the Cosmos user are set.
app.MapGet("/documents/{id}", async (string id, HttpContext http, IAuditDocumentStore store, CancellationToken ct) =>
    await store.GetAsync(Collection, id, ct) is { } stored
        ? Results.Ok(new { document = stored.Document, version = stored.Version, read_by = http.GetUserContext()!.UserId })
        : Results.Problem("No document with this id exists.", statusCode: StatusCodes.Status404NotFound))
    .RequireAuthorization(ReadPermission);

// Writes go through the audit pipeline, which validates, stamps, stores and records them; its refusals become problem
// responses. Updates may name the version they read (If-Match: "3", the ETag of the previous answer): a stale one gets 412.
var documents = app.MapGroup("/documents/{id}").RequireAuthorization(WritePermission);
documents.MapPost("", async (string id, JsonObject body, HttpContext http, IAuditPipeline audit, CancellationToken ct) =>
    (await audit.CreateAsync(http.Request.Headers.Authorization, Collection, id, body, WritePermission, ct))
        .ToHttpResult(r => Written(http, r, StatusCodes.Status201Created)));
documents.MapPut("", async (string id, JsonObject body, HttpContext http, IAuditPipeline audit, CancellationToken ct) =>
    (await audit.UpdateAsync(http.Request.Headers.Authorization, Collection, id, body, WritePermission, IfMatch(http), ct))
        .ToHttpResult(r => Written(http, r, StatusCodes.Status200OK)));
documents.MapDelete("", async (string id, HttpContext http, IAuditPipeline audit, CancellationToken ct) =>
    (await audit.DeleteAsync(http.Request.Headers.Authorization, Collection, id, WritePermission, IfMatch(http), ct))
        .ToHttpResult(r => Written(http, r, StatusCodes.Status200OK)));
documents.MapPost("/restore", async (string id, HttpContext http, IAuditPipeline audit, CancellationToken ct) =>
    (await audit.RestoreAsync(http.Request.Headers.Authorization, Collection, id, WritePermission, IfMatch(http), ct))
        .ToHttpResult(r => Written(http, r, StatusCodes.Status200OK)));

app.MapGet("/audit/verify", async (AuditLogFile log, AuditDeadLetterQueue deadLetters, CancellationToken ct) =>
{
    var verification = await log.VerifyAsync(ct);
    return Results.Ok(new
    {
        valid = verification.IsValid,
        records = verification.RecordCount,
        last_hash = verification.LastHash,
        broken_line = verification.LineNumber,
        failure = verification.IsValid ? null : verification.Failure.ToString(),
        message = verification.Message,
        dead_letters = deadLetters.Count,
    });
}).RequireAuthorization(VerifyPermission);

app.Run();

static IResult Written(HttpContext http, AuditedWriteResult result, int status)
{
    http.Response.Headers.ETag = $"\"{result.Version}\"";
    return Results.Json(
        new { document = result.Document, version = result.Version, audit_event = result.Event!.EventId, author = result.Event.Author, audit = result.AuditOutcome.ToString() },
        statusCode: status);
}

// If-Match: "<version>" names the version the client read; anything else (absent, *, unparsable) names none.
static long? IfMatch(HttpContext http) =>
    http.Request.Headers.IfMatch.ToString() is ['"', .. var digits, '"'] && long.TryParse(digits, out var version) ? version : null;

/// <summary>The demo login's body.</summary>
internal sealed record LoginRequest(string Username, string Password);

/// <summary>Two demo accounts: alice can write and verify the log, victor can only read.</summary>
internal static class DemoUsers
{
    private static readonly (string Username, string Password, UserContext User)[] Users =
    [
        ("alice", "alice-demo", new UserContext("alice123", "alice") { Roles = ["editor", "auditor"] }),
        ("victor", "victor-demo", new UserContext("vic9", "victor") { Roles = ["viewer"] }),
    ];

    public static UserContext? SignIn(string? username, string? password)
    {
        foreach (var (name, secret, user) in Users)
        {
            if (name == username && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(password ?? "")))
            {
                return user;
            }
        }

        return null;
    }
}

/// <summary>The sample's entry point, visible to its end-to-end tests.</summary>
public partial class Program;
