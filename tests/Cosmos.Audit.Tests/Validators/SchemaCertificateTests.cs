using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Cosmos.Audit.Stamping;
using Cosmos.Audit.Users;
using Cosmos.Audit.Validators;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Json.Schema;

namespace Cosmos.Audit.Tests.Validators;

public sealed class SchemaCertificateTests
{
    private const string OrderSchema = """
        {
          "type": "object",
          "properties": {
            "orderId": { "type": "string" }, "status": { "enum": ["open", "paid", "shipped", 7] },
            "total": { "type": "number", "minimum": 0, "exclusiveMaximum": 100000.5 },
            "currency": { "type": "string", "minLength": 3, "maxLength": 3 },
            "customer": { "type": "object", "properties": { "name": { "type": "string" }, "email": { "type": ["string", "null"] } }, "required": ["name"], "additionalProperties": false },
            "lines": { "type": "array", "maxItems": 4, "items": { "type": "object", "properties": { "sku": { "type": "string" }, "qty": { "type": "integer", "minimum": 1, "maximum": 9 }, "price": { "type": "number", "exclusiveMinimum": 0.1 } }, "required": ["sku", "qty"] } },
            "flag": { "const": true }
          },
          "required": ["orderId", "total"],
          "minProperties": 2
        }
        """;

    private static readonly SchemaCommitValidator Validator = new("orders", OrderSchema);
    private static readonly JsonSchema Library = JsonSchema.FromText(OrderSchema, new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    [Property(MaxTest = 400, Replay = "(20261130,41)", Arbitrary = [typeof(DocumentArbitraries)])]
    public bool IsCertified_GeneratedDocuments_OnlyWhenJsonSchemaNetAccepts(DocumentCase c)
    {
        var document = c.Build();
        return !Validator.IsCertified(document) || Validator.LibraryAccepts(document);
    }

    [Property(MaxTest = 200, Replay = "(20261130,43)", Arbitrary = [typeof(DocumentArbitraries)])]
    public bool Evaluate_GeneratedDocuments_FlagAndDetailedOutputAgree(DocumentCase c)
    {
        var document = c.Build();
        foreach (var name in document.Select(p => p.Key).Where(AuditFields.IsAuditField).ToList())
        {
            document.Remove(name);
        }

        var element = System.Text.Json.JsonSerializer.SerializeToElement(document);
        var flag = Library.Evaluate(element, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid;
        var detailed = Library.Evaluate(element, new EvaluationOptions { OutputFormat = OutputFormat.List }).IsValid;
        return flag == detailed && flag == Validator.LibraryAccepts(c.Build());
    }

    [Property(MaxTest = 200, Replay = "(20261130,47)", Arbitrary = [typeof(DocumentArbitraries)])]
    public async Task<bool> ValidateAsync_GeneratedDocuments_VerdictIsJsonSchemaNets(DocumentCase c)
    {
        var document = c.Build();
        var expected = Validator.LibraryAccepts(document);
        var context = new AuditCommitContext(new UserContext("u1", "alice"), AuditAction.Create, "orders", "o1", null, document);
        var verdict = await Validator.ValidateAsync(context, CancellationToken.None);
        return verdict.IsAllowed == expected && (expected || verdict.Errors.All(e => e.Location.Length == 0 || e.Location[0] == '/'));
    }

    [Fact]
    public void IsCertified_GeneratedDocuments_CertifiesMostValidOnesAndSomeAreRefused()
    {
        // Guards the properties above against passing vacuously: the generator makes valid and invalid documents, and the
        // certificate settles most valid ones.
        var random = new Random(20261130);
        int valid = 0, certified = 0, invalid = 0;
        for (var i = 0; i < 400; i++)
        {
            var document = new DocumentCase(random.Next()).Build();
            if (Validator.LibraryAccepts(document))
            {
                valid++;
                certified += Validator.IsCertified(document) ? 1 : 0;
            }
            else
            {
                invalid++;
                Assert.False(Validator.IsCertified(document));
            }
        }

        Assert.True(invalid >= 40, $"{invalid} invalid documents");
        Assert.True(valid >= 40, $"{valid} valid documents");
        Assert.True(certified * 10 >= valid * 8, $"{certified} of {valid} valid documents certified");
    }

    [Fact]
    public void IsCertified_ParsedAndBuiltDocuments_Certified()
    {
        var built = new JsonObject { ["orderId"] = "o-1", ["total"] = 0, ["currency"] = "EUR", ["_created_by"] = "alice", ["lines"] = new JsonArray(new JsonObject { ["sku"] = "a", ["qty"] = 1.0 }) };
        var parsed = JsonNode.Parse("""{ "orderId": "o-1", "total": 12.25, "status": 7, "flag": true, "customer": { "name": "Kim", "email": null } }""")!.AsObject();
        Assert.True(Validator.IsCertified(built));
        Assert.True(Validator.IsCertified(parsed));
    }

    [Fact]
    public async Task ValidateAsync_StringHeldAsAnotherType_LeftToJsonSchemaNet()
    {
        var document = new JsonObject { ["orderId"] = JsonValue.Create(new Guid("6f9619ff-8b86-d011-b42d-00cf4fc964ff")), ["total"] = 1, ["currency"] = JsonValue.Create(Guid.Empty) };
        var context = new AuditCommitContext(new UserContext("u1", "alice"), AuditAction.Create, "orders", "o1", null, document);

        Assert.False(Validator.IsCertified(document));
        var verdict = await Validator.ValidateAsync(context, CancellationToken.None);
        Assert.False(verdict.IsAllowed);
        Assert.Equal("/currency", Assert.Single(verdict.Errors).Location);
    }

    [Theory]
    [InlineData("""{ "orderId": "o-1", "total": -0.01 }""")]
    [InlineData("""{ "orderId": "o-1", "total": 100000.5 }""")]
    [InlineData("""{ "orderId": "o-1", "total": 1, "currency": "EU" }""")]
    [InlineData("""{ "orderId": "o-1", "total": 1, "lines": [ { "sku": "a", "qty": 1.5 } ] }""")]
    [InlineData("""{ "orderId": "o-1", "total": 1, "customer": { "name": "Kim", "x": 1 } }""")]
    [InlineData("""{ "orderId": "o-1", "total": 1, "status": "lost" }""")]
    [InlineData("""{ "orderId": "o-1", "_created_by": "x", "total": 1, "lines": [ { "sku": "a", "qty": 2, "price": 0.1 } ] }""")]
    [InlineData("""{ "orderid": "o-1", "total": 1 }""")]
    public void IsCertified_InvalidDocument_NotCertified(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        Assert.False(Validator.LibraryAccepts(document));
        Assert.False(Validator.IsCertified(document));
    }

    [Theory]
    [InlineData("""{ "type": "object", "properties": { "a": { "type": "string", "pattern": "^x" } } }""")]
    [InlineData("""{ "$ref": "#/$defs/a", "$defs": { "a": { "type": "object" } } }""")]
    [InlineData("""{ "$schema": "http://json-schema.org/draft-07/schema#", "type": "object" }""")]
    [InlineData("""{ "type": "object", "properties": { "a": { "format": "email" } } }""")]
    public void IsCertified_SchemaOutsideTheSubset_LeftToJsonSchemaNet(string schema)
    {
        var validator = new SchemaCommitValidator("orders", schema);
        var document = new JsonObject { ["a"] = "x@example.com" };
        Assert.False(validator.IsCertified(document));
        Assert.True(validator.LibraryAccepts(document));
    }

    public sealed record DocumentCase(int Seed)
    {
        /// <summary>An order document near the schema's edges: each field is usually right and sometimes wrong in one way.</summary>
        public JsonObject Build()
        {
            var random = new Random(Seed);
            bool Often() => random.Next(8) != 0;
            JsonNode? Pick(params JsonNode?[] choices) => choices[random.Next(3) == 0 ? random.Next(choices.Length) : 0]?.DeepClone();

            var document = new JsonObject();
            if (Often())
            {
                document["orderId"] = Pick("o-1", "ord-2026-000123", 12, null, "");
            }

            if (Often())
            {
                document["total"] = Pick(0, 0.0, -0.0, 1234.5, 100000.5, 100000.49, -1, 1e-5, 0.0001, 99999, "12", 3.0m, 1e20, JsonNode.Parse("1.0"), JsonNode.Parse("0.00"));
            }

            if (random.Next(2) == 0)
            {
                document["currency"] = Pick("EUR", "KRW", "EU", "EURO", "€UR", "E\r\n", "Éu", 978);
            }

            if (random.Next(2) == 0)
            {
                document["status"] = Pick("open", "paid", "shipped", "Paid", 7, 7.0, JsonNode.Parse("7.0"), true, null);
            }

            if (random.Next(3) == 0)
            {
                document["flag"] = Pick(true, false, "true", 1);
            }

            if (random.Next(2) == 0)
            {
                var customer = new JsonObject();
                if (Often())
                {
                    customer["name"] = Pick("Kim Minji", "", 5, null);
                }

                if (random.Next(2) == 0)
                {
                    customer["email"] = Pick("minji@example.com", null, 1);
                }

                if (random.Next(8) == 0)
                {
                    customer["extra"] = 1;
                }

                document["customer"] = random.Next(10) == 0 ? Pick("customer", null) : customer;
            }

            if (random.Next(2) == 0)
            {
                var lines = new JsonArray();
                for (var i = random.Next(6); i > 0; i--)
                {
                    var line = new JsonObject();
                    if (Often())
                    {
                        line["sku"] = Pick("SKU-000001", "x", 3);
                    }

                    if (Often())
                    {
                        line["qty"] = Pick(1, 2, 9, 10, 0, 1.0, 1.5, 2L, JsonNode.Parse("3"), JsonNode.Parse("3.0"), JsonNode.Parse("1e0"), "1");
                    }

                    if (random.Next(2) == 0)
                    {
                        line["price"] = Pick(10.5, 0.1, 0.10000000000000002, 0.2, JsonNode.Parse("0.1"), JsonNode.Parse("0.100000000000000000001"), 0);
                    }

                    lines.Add(line);
                }

                document["lines"] = lines;
            }

            if (random.Next(10) == 0)
            {
                document["extra"] = "allowed by the schema";
            }

            if (random.Next(2) == 0)
            {
                document["_created_by"] = "alice";
                document["_version"] = 3;
            }

            // Half the documents as a request body would arrive: parsed text, whose numbers keep their written form.
            return random.Next(2) == 0 ? JsonNode.Parse(document.ToJsonString())!.AsObject() : document;
        }
    }

    public static class DocumentArbitraries
    {
        public static Arbitrary<DocumentCase> Documents() => Gen.Choose(0, int.MaxValue).Select(seed => new DocumentCase(seed)).ToArbitrary();
    }
}
