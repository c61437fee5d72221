using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Cosmos.Audit.Users;
using Cosmos.Audit.Validators;

namespace Cosmos.Audit.Tests.Validators;

public sealed class PiiCommitValidatorTests
{
    [Fact]
    public async Task ValidateAsync_FieldNamesWithSlashAndTilde_RefusalLocationsAreEscapedJsonPointers()
    {
        var validator = new PiiCommitValidator(new AuditPiiOptions());
        var document = new JsonObject
        {
            ["a/b"] = new JsonObject { ["c~d"] = new JsonArray("none", "mail kim@example.com") },
            ["plain"] = "tel 010-1234-5678",
        };
        var context = new AuditCommitContext(new UserContext("u1", "alice"), AuditAction.Create, "orders", "o1", null, document);

        var verdict = await validator.ValidateAsync(context, CancellationToken.None);

        Assert.False(verdict.IsAllowed);
        Assert.Equal(["/a~1b/c~0d/1", "/plain"], verdict.Errors.Select(e => e.Location));
        Assert.DoesNotContain(verdict.Errors, e => e.Message.Contains("kim@", StringComparison.Ordinal) || e.Message.Contains("1234", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidateAsync_AllowedValueInNestedField_RecordRedactionAtItsPointer()
    {
        var validator = new PiiCommitValidator(new AuditPiiOptions { Rules = [new AuditPiiRule("orders", "*", AuditPiiAction.Allow)] });
        var document = new JsonObject { ["customer"] = new JsonObject { ["e/mail"] = "kim@example.com", ["name"] = "Kim" } };
        var context = new AuditCommitContext(new UserContext("u1", "alice"), AuditAction.Update, "orders", "o1", document.DeepClone().AsObject(), document);

        var verdict = await validator.ValidateAsync(context, CancellationToken.None);

        Assert.True(verdict.IsAllowed);
        Assert.Equal([(false, "/customer/e~1mail"), (true, "/customer/e~1mail")], context.AuditRedactions);
        Assert.Equal("kim@example.com", (string?)document["customer"]!["e/mail"]);
    }
}
