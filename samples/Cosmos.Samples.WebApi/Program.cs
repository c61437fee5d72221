// Cosmos.Audit end to end over HTTP: bearer tokens, stamped documents, a hash-chained audit log.
//   POST   /token                 demo login {"username":"alice","password":"alice-demo"} -> access + refresh token
//   POST   /documents/{id}        create   (Authorization: Bearer <token>, JSON body)
//   PUT    /documents/{id}        update
//   DELETE /documents/{id}        soft delete
//   POST   /documents/{id}/restore undelete
//   GET    /documents/{id}        read (any valid token)
//   GET    /audit/verify          verify the audit log's hash chain
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;

const string Collection = "documents";
const string WritePermission = "documents.write";

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:5080");

// A real host loads the key from a secret store; the demo makes one per run (tokens die with the process).
var signingKey = builder.Configuration["Audit:SigningKey"] is { Length: > 0 } configured
    ? new AuditSigningKey { Id = "k1", Secret = configured }
    : AuditSigningKey.FromBytes("demo", RandomNumberGenerator.GetBytes(32));
var dataDirectory = builder.Configuration["Audit:DataDirectory"] ?? Path.Combine(AppContext.BaseDirectory, "audit-data");

builder.Services.AddSingleton<IAuditDocumentStore, InMemoryAuditDocumentStore>();
builder.Services.AddCosmosAudit(options =>
{
    options.SigningKeys = [signingKey];
    options.Jwt.Issuer = "http://127.0.0.1:5080";
    options.Jwt.Audience = "cosmos-webapi-sample";
    options.RolePermissions["editor"] = [WritePermission, "documents.read"];
    options.RolePermissions["viewer"] = ["documents.read"];
    options.AuditLog.Path = Path.Combine(dataDirectory, "audit.jsonl");
    options.AuditLog.DeadLetter.Directory = Path.Combine(dataDirectory, "dlq");
});

var app = builder.Build();

app.MapGet("/", () => "Cosmos.Audit sample: POST /token, then POST/PUT/DELETE /documents/{id} with the bearer token; GET /audit/verify");

app.MapPost("/token", async (LoginRequest login, TokenIssuer issuer, CancellationToken cancellationToken) =>
{
    var user = DemoUsers.SignIn(login.Username, login.Password);
    if (user is null)
    {
        return Results.Unauthorized();
    }

    var tokens = await issuer.IssueAsync(user, cancellationToken);
    return Results.Ok(new { access_token = tokens.AccessToken, refresh_token = tokens.RefreshToken, expires_at = tokens.AccessTokenExpiresAt });
});

app.MapGet("/documents/{id}", async (string id, HttpRequest request, AccessTokenValidator tokens, IAuditDocumentStore store) =>
{
    var token = request.Headers.Authorization.ToString();
    token = token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? token[7..] : token;
    if (token.Length == 0 || !(await tokens.ValidateAsync(token)).IsValid)
    {
        return Results.Unauthorized();
    }

    return await store.GetAsync(Collection, id) is { } stored ? Results.Ok(stored.Document) : Results.NotFound();
});

app.MapPost("/documents/{id}", async (string id, JsonObject body, HttpRequest request, IAuditPipeline audit, CancellationToken ct) =>
    ToHttp(await audit.CreateAsync(request.Headers.Authorization, Collection, id, body, WritePermission, ct), created: true));

app.MapPut("/documents/{id}", async (string id, JsonObject body, HttpRequest request, IAuditPipeline audit, CancellationToken ct) =>
    ToHttp(await audit.UpdateAsync(request.Headers.Authorization, Collection, id, body, WritePermission, cancellationToken: ct)));

app.MapDelete("/documents/{id}", async (string id, HttpRequest request, IAuditPipeline audit, CancellationToken ct) =>
    ToHttp(await audit.DeleteAsync(request.Headers.Authorization, Collection, id, WritePermission, cancellationToken: ct)));

app.MapPost("/documents/{id}/restore", async (string id, HttpRequest request, IAuditPipeline audit, CancellationToken ct) =>
    ToHttp(await audit.RestoreAsync(request.Headers.Authorization, Collection, id, WritePermission, cancellationToken: ct)));

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
});

app.Run();

static IResult ToHttp(AuditedWriteResult result, bool created = false) => result.Status switch
{
    AuditedWriteStatus.Succeeded => created
        ? Results.Json(new { document = result.Document, audit_event = result.Event!.EventId, author = result.Event.Author, audit = result.AuditOutcome.ToString() }, statusCode: 201)
        : Results.Ok(new { document = result.Document, audit_event = result.Event!.EventId, author = result.Event.Author, audit = result.AuditOutcome.ToString() }),
    AuditedWriteStatus.Unauthenticated => Results.Problem(result.Message, statusCode: 401, title: $"token rejected: {result.TokenFailure}"),
    AuditedWriteStatus.Forbidden => Results.Problem(result.Message, statusCode: 403, title: $"missing permission {result.MissingPermission}"),
    AuditedWriteStatus.NotFound => Results.Problem(result.Message, statusCode: 404),
    _ => Results.Problem(result.Message, statusCode: 409),
};

/// <summary>The demo login's body.</summary>
internal sealed record LoginRequest(string Username, string Password);

/// <summary>Two demo accounts: alice can write, victor can only read.</summary>
internal static class DemoUsers
{
    private static readonly (string Username, string Password, UserContext User)[] Users =
    [
        ("alice", "alice-demo", new UserContext("alice123", "alice") { Roles = ["editor"] }),
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
