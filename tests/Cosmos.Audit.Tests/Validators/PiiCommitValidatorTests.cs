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

    [Fact]
    public async Task ValidateAsync_StringValuesHeldAsOtherTypes_CheckedByTheirText()
    {
        var validator = new PiiCommitValidator(new AuditPiiOptions());
        var document = new JsonObject
        {
            ["id"] = JsonValue.Create(Guid.Empty),
            ["at"] = JsonValue.Create(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)),
            ["contact"] = JsonValue.Create(new Contact("kim@example.com"), ContactContext.Default.Contact),
        };
        var context = new AuditCommitContext(new UserContext("u1", "alice"), AuditAction.Create, "orders", "o1", null, document);

        var verdict = await validator.ValidateAsync(context, CancellationToken.None);

        Assert.False(verdict.IsAllowed);
        Assert.Equal("/contact", Assert.Single(verdict.Errors).Location);
    }
}

/// <summary>A host type written as a JSON string.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(ContactConverter))]
internal sealed record Contact(string Address);

internal sealed class ContactConverter : System.Text.Json.Serialization.JsonConverter<Contact>
{
    public override Contact Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) => new(reader.GetString()!);

    public override void Write(System.Text.Json.Utf8JsonWriter writer, Contact value, System.Text.Json.JsonSerializerOptions options) => writer.WriteStringValue(value.Address);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Contact))]
internal sealed partial class ContactContext : System.Text.Json.Serialization.JsonSerializerContext;
