using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cosmos.Audit.Authors;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Samples.Quickstart;

/// <summary>The Cosmos.Audit section of the quickstart.</summary>
internal static class AuditDemo
{
    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "cosmos-quickstart-audit-" + Guid.NewGuid().ToString("N")[..8]);
        var services = new ServiceCollection()
            .AddSingleton<IAuditDocumentStore, InMemoryAuditDocumentStore>()
            .AddCosmosAudit(options =>
            {
                options.SigningKeys = [AuditSigningKey.FromBytes("demo-1", RandomNumberGenerator.GetBytes(32))];
                options.Jwt.Issuer = "https://quickstart.local";
                options.Jwt.Audience = "cosmos-quickstart";
                options.RolePermissions["editor"] = ["documents.write"];
                options.AuditLog.Path = Path.Combine(directory, "audit.jsonl");
                options.AuditLog.DeadLetter.Directory = Path.Combine(directory, "dlq");
            });

        try
        {
            await using var provider = services.BuildServiceProvider();

            // 1. Token: issue (the host's login) and validate (every request).
            var tokens = await provider.GetRequiredService<TokenIssuer>().IssueAsync(new UserContext("alice123", "alice.smith") { Roles = ["editor"] }, cancellationToken);
            output.WriteLine($"token issued: {tokens.AccessToken.Length} chars, expires {tokens.AccessTokenExpiresAt:u}");
            var validation = await provider.GetRequiredService<AccessTokenValidator>().ValidateAsync(tokens.AccessToken, cancellationToken);
            output.WriteLine($"token validated: {validation.User!.Username} ({validation.User.UserId}), roles [{string.Join(", ", validation.User.Roles)}]");

            // 2. One call per request: token -> user -> permission -> stamped write -> audit event.
            var pipeline = provider.GetRequiredService<IAuditPipeline>();
            var bearer = "Bearer " + tokens.AccessToken;
            var created = await pipeline.CreateAsync(bearer, "orders", "order-1", new JsonObject { ["total"] = 42, ["_created_by"] = "mallory" }, "documents.write", cancellationToken: cancellationToken);
            output.WriteLine($"create: _created_by={created.Document!["_created_by"]} (client sent 'mallory'), _created_at={created.Document["_created_at"]}");
            var updated = await pipeline.UpdateAsync(bearer, "orders", "order-1", new JsonObject { ["total"] = 45 }, "documents.write", cancellationToken: cancellationToken);
            output.WriteLine($"update: total {updated.Event!.Before!["total"]} -> {updated.Document!["total"]}, _created_at kept, _updated_by={updated.Document["_updated_by"]}");

            var viewerToken = (await provider.GetRequiredService<TokenIssuer>().IssueAsync(new UserContext("vic9", "victor") { Roles = ["viewer"] }, cancellationToken)).AccessToken;
            var denied = await pipeline.DeleteAsync(viewerToken, "orders", "order-1", "documents.write", cancellationToken: cancellationToken);
            output.WriteLine($"delete by a viewer: {denied.Status}, missing permission '{denied.MissingPermission}' (the denial is itself an audit record)");

            // 3. The author string in the audit event is signed; it verifies, and it says who.
            output.WriteLine($"author string: {updated.Event.Author}");
            var author = provider.GetRequiredService<AuthorStringSigner>().Verify(updated.Event.Author);
            output.WriteLine($"author verifies: {author.IsValid}");

            // 4. The audit log is hash-chained: it verifies, and one changed byte is found.
            var log = provider.GetRequiredService<AuditLogFile>();
            var verification = await log.VerifyAsync(cancellationToken);
            output.WriteLine($"audit log {Path.GetFileName(log.FilePath)}: {verification}");

            var bytes = await File.ReadAllBytesAsync(log.FilePath, cancellationToken);
            var at = bytes.AsSpan().IndexOf("\"total\":42"u8) + "\"total\":".Length;
            bytes[at] = (byte)'9';
            var tampered = Path.Combine(directory, "tampered.jsonl");
            await File.WriteAllBytesAsync(tampered, bytes, cancellationToken);
            output.WriteLine($"after changing total 42 -> 92 in a copy: {await AuditLogFile.VerifyAsync(tampered, cancellationToken)}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
