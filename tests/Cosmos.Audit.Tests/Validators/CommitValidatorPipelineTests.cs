using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Tests.Pipeline;
using Cosmos.Audit.Validators;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Audit.Tests.Validators;

public sealed class CommitValidatorPipelineTests
{
    private const string OrderSchema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "properties": {
            "total": { "type": "number", "minimum": 0 },
            "customer": { "type": "object", "properties": { "name": { "type": "string" } }, "required": ["name"] }
          },
          "required": ["total"],
          "additionalProperties": false
        }
        """;

    private static AuditTestHost Host(Action<AuditValidatorsBuilder> validators) =>
        AuditTestHost.Create(services2: s => s.AddCosmosAuditValidators(validators));

    private static async Task<string[]> LogLines(AuditTestHost host) =>
        await File.ReadAllLinesAsync(host.Services.GetRequiredService<AuditLogFile>().FilePath);

    [Fact]
    public async Task Rule_PredicateFails_RefusedNothingStoredAndRefusalAudited()
    {
        await using var host = Host(v => v.AddRules(new AuditCommitRule("non-negative", c => (int?)c.After["total"] is not < 0, "total must not be negative")));
        var token = host.TokenFor("alice123", "alice", "editor");

        var refused = await host.Pipeline.CreateAsync(token, "orders", "o1", new JsonObject { ["total"] = -5 }, AuditTestHost.Write);
        var allowed = await host.Pipeline.CreateAsync(token, "orders", "o2", new JsonObject { ["total"] = 5 }, AuditTestHost.Write);

        Assert.Equal(AuditedWriteStatus.Refused, refused.Status);
        Assert.Equal("rule", refused.Verdict!.Validator);
        Assert.Contains("rule 'non-negative': total must not be negative", refused.Verdict.Reason, StringComparison.Ordinal);
        Assert.True(allowed.Succeeded);
        Assert.Equal(1, host.Store.Count);
        var lines = await LogLines(host);
        Assert.Contains("\"action\":\"WriteRefused\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("non-negative", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"action\":\"Create\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tamper_RequestCarryingAuditFields_Refused()
    {
        await using var host = Host(v => v.AddTamper());
        var token = host.TokenFor("alice123", "alice", "editor");

        var result = await host.Pipeline.CreateAsync(token, "orders", "o1", new JsonObject { ["total"] = 1, ["_created_by"] = "mallory" }, AuditTestHost.Write);

        Assert.Equal(AuditedWriteStatus.Refused, result.Status);
        Assert.Equal("tamper", result.Verdict!.Validator);
        Assert.Equal("/_created_by", result.Verdict.Errors.Single().Location);
        Assert.Equal(0, host.Store.Count);
        Assert.True((await host.Pipeline.CreateAsync(token, "orders", "o1", new JsonObject { ["total"] = 1 }, AuditTestHost.Write)).Succeeded);
    }

    [Fact]
    public async Task Tamper_StaleVersionInContext_Refused()
    {
        var validator = new TamperCommitValidator();
        var context = new AuditCommitContext(new Cosmos.Audit.Users.UserContext("u", "u"), AuditAction.Update, "c", "d", new JsonObject(), new JsonObject())
        {
            StoredVersion = 3,
            ExpectedVersion = 2,
        };
        var verdict = await validator.ValidateAsync(context, CancellationToken.None);
        Assert.False(verdict.IsAllowed);
        Assert.Contains("version 2 was read, version 3 is stored", verdict.Reason, StringComparison.Ordinal);
        Assert.True((await validator.ValidateAsync(new AuditCommitContext(context.User, AuditAction.Update, "c", "d", null, new JsonObject()) { StoredVersion = 3, ExpectedVersion = 3 }, CancellationToken.None)).IsAllowed);
    }

    [Fact]
    public async Task Schema_InvalidDocument_RefusedWithJsonPointers()
    {
        await using var host = Host(v => v.AddSchema("orders", OrderSchema));
        var token = host.TokenFor("alice123", "alice", "editor");

        var result = await host.Pipeline.CreateAsync(token, "orders", "o1", new JsonObject { ["total"] = -98765, ["customer"] = new JsonObject(), ["extra"] = true }, AuditTestHost.Write);

        Assert.Equal(AuditedWriteStatus.Refused, result.Status);
        Assert.Equal("schema", result.Verdict!.Validator);
        var locations = result.Verdict.Errors.Select(e => e.Location).ToHashSet();
        Assert.Contains("/total", locations);
        Assert.Contains("/customer", locations);
        Assert.Contains(result.Verdict.Errors, e => e.Location == "/total" && e.Message == "fails 'minimum'");
        Assert.Equal(0, host.Store.Count);

        // The refusal is audited without the refused value.
        Assert.DoesNotContain("98765", result.Message, StringComparison.Ordinal);
        Assert.Contains(await LogLines(host), l => l.Contains("WriteRefused", StringComparison.Ordinal) && !l.Contains("98765", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Schema_ValidDocumentWithStampedAuditFields_Allowed()
    {
        await using var host = Host(v => v.AddSchema("orders", OrderSchema));
        var token = host.TokenFor("alice123", "alice", "editor");
        var created = await host.Pipeline.CreateAsync(token, "orders", "o1", new JsonObject { ["total"] = 3, ["customer"] = new JsonObject { ["name"] = "Kim" } }, AuditTestHost.Write);
        Assert.True(created.Succeeded, created.Message);

        // Another collection is not checked by this schema.
        Assert.True((await host.Pipeline.CreateAsync(token, "notes", "n1", new JsonObject { ["free"] = "form" }, AuditTestHost.Write)).Succeeded);
    }

    [Fact]
    public void Schema_InvalidSchema_ThrowsAtRegistration()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddCosmosAuditValidators(v => v.AddSchema("orders", "{ \"type\": 12 }")));
        Assert.Equal("schemaJson", ex.ParamName);
    }

    [Fact]
    public async Task Pii_DefaultRefuse_RefusalNamesFieldAndKindNeverTheValue()
    {
        await using var host = Host(v => v.AddPii());
        var token = host.TokenFor("alice123", "alice", "editor");

        var result = await host.Pipeline.CreateAsync(token, "customers", "c1", new JsonObject { ["contact"] = new JsonObject { ["mail"] = "kim@example.com" } }, AuditTestHost.Write);

        Assert.Equal(AuditedWriteStatus.Refused, result.Status);
        Assert.Equal(new AuditValidationError("/contact/mail", "contains an e-mail address"), result.Verdict!.Errors.Single());
        Assert.DoesNotContain("kim@example.com", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await LogLines(host), l => l.Contains("kim@example.com", StringComparison.Ordinal));
        Assert.Equal(0, host.Store.Count);
    }

    [Fact]
    public async Task Pii_RedactRule_StoredAndRecordedRedacted()
    {
        await using var host = Host(v => v.AddPii(o => o.Rules.Add(new AuditPiiRule("customers", "/notes", AuditPiiAction.Redact))));
        var token = host.TokenFor("alice123", "alice", "editor");

        var result = await host.Pipeline.CreateAsync(token, "customers", "c1", new JsonObject { ["notes"] = new JsonArray("call +82 10 1234 5678 today") }, AuditTestHost.Write);

        Assert.True(result.Succeeded, result.Message);
        var stored = (string)(await host.Store.GetAsync("customers", "c1"))!.Document["notes"]![0]!;
        Assert.Equal("call  today", stored);
        Assert.DoesNotContain(await LogLines(host), l => l.Contains("1234 5678", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pii_AllowRule_StoredRawButAuditRecordRedacted()
    {
        await using var host = Host(v => v.AddPii(o => o.Rules.Add(new AuditPiiRule("customers", "/iban", AuditPiiAction.Allow))));
        var token = host.TokenFor("alice123", "alice", "editor");

        var created = await host.Pipeline.CreateAsync(token, "customers", "c1", new JsonObject { ["iban"] = "GB82 WEST 1234 5698 7654 32" }, AuditTestHost.Write);
        var updated = await host.Pipeline.UpdateAsync(token, "customers", "c1", new JsonObject { ["iban"] = "DE89370400440532013000" }, AuditTestHost.Write);

        Assert.True(created.Succeeded && updated.Succeeded);
        Assert.Equal("DE89370400440532013000", (string)(await host.Store.GetAsync("customers", "c1"))!.Document["iban"]!);
        var lines = await LogLines(host);
        Assert.All(lines, l => Assert.DoesNotContain("5698", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain("0532013000", l, StringComparison.Ordinal));
        Assert.Contains("\"iban\":\"[redacted]\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pii_DeleteOfADocumentHoldingPersonalData_AllowedAndRecordRedacted()
    {
        await using var host = Host(v => v.AddPii());
        var token = host.TokenFor("alice123", "alice", "editor");

        // Stored before the validator guarded the collection.
        await host.Store.PutAsync("customers", "c1", new JsonObject { ["mail"] = "old@example.com" }, 0);

        var deleted = await host.Pipeline.DeleteAsync(token, "customers", "c1", AuditTestHost.Write);

        Assert.True(deleted.Succeeded, deleted.Message);
        var record = (await LogLines(host)).Single();
        Assert.DoesNotContain("old@example.com", record, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"Delete\"", record, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validators_RunInDeclaredOrder_FirstRefusalWins()
    {
        var calls = new List<string>();
        await using var host = Host(v => v
            .Add(new Recording("first", calls, allow: true))
            .Add(new Recording("second", calls, allow: false))
            .Add(new Recording("third", calls, allow: false)));

        var result = await host.Pipeline.CreateAsync(host.TokenFor("alice123", "alice", "editor"), "orders", "o1", new JsonObject(), AuditTestHost.Write);

        Assert.Equal("second", result.Verdict!.Validator);
        Assert.Equal(["first", "second"], calls);
    }

    [Fact]
    public void AddCosmosAuditValidators_CalledTwice_Throws()
    {
        var services = new ServiceCollection().AddCosmosAuditValidators(v => v.AddTamper());
        Assert.Throws<InvalidOperationException>(() => services.AddCosmosAuditValidators(v => v.AddTamper()));
    }

    private sealed class Recording(string name, List<string> calls, bool allow) : IAuditCommitValidator
    {
        public string Name => name;

        public ValueTask<AuditValidationVerdict> ValidateAsync(AuditCommitContext context, CancellationToken cancellationToken)
        {
            calls.Add(name);
            return ValueTask.FromResult(allow ? AuditValidationVerdict.Allow(name) : AuditValidationVerdict.Refuse(name, "no"));
        }
    }
}
