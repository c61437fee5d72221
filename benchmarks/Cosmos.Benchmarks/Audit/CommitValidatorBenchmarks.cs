using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Cosmos.Audit.Log;
using Cosmos.Audit.Users;
using Cosmos.Audit.Validators;
using Cosmos.Audit.Validators.Internal;

namespace Cosmos.Benchmarks.Audit;

/// <summary>
/// What the commit validators add to one write of a 1 KB document (goal: at most 20 µs for all four), beside the cost of
/// serializing the same document once (the baseline: every audited write pays it for the audit record).
/// </summary>
[MemoryDiagnoser]
public class CommitValidatorBenchmarks
{
    private const string OrderSchema = """
        {
          "type": "object",
          "properties": {
            "orderId": { "type": "string" }, "status": { "enum": ["open", "paid", "shipped"] },
            "total": { "type": "number", "minimum": 0 }, "currency": { "type": "string", "minLength": 3, "maxLength": 3 },
            "customer": { "type": "object", "properties": { "name": { "type": "string" }, "email": { "type": "string" } }, "required": ["name"] },
            "lines": { "type": "array", "items": { "type": "object", "properties": { "sku": { "type": "string" }, "qty": { "type": "integer", "minimum": 1 }, "price": { "type": "number" } }, "required": ["sku", "qty"] } },
            "notes": { "type": "string" }
          },
          "required": ["orderId", "total"]
        }
        """;

    private readonly ArrayBufferWriter<byte> _buffer = new(2048);
    private JsonObject _document = null!;
    private JsonObject _refusedDocument = null!;
    private AuditCommitContext _context = null!;
    private AuditCommitValidatorChain _ruleAndTamper = null!;
    private AuditCommitValidatorChain _schema = null!;
    private AuditCommitValidatorChain _pii = null!;
    private AuditCommitValidatorChain _all = null!;

    [GlobalSetup]
    public void Setup()
    {
        _document = new JsonObject
        {
            ["orderId"] = "ord-2026-000123", ["status"] = "paid", ["total"] = 1234.5, ["currency"] = "EUR",
            ["customer"] = new JsonObject { ["name"] = "Kim Minji", ["email"] = "minji.kim@example.com" },
            ["lines"] = new JsonArray([.. Enumerable.Range(0, 16).Select(i => new JsonObject { ["sku"] = $"SKU-{i:D6}", ["qty"] = i + 1, ["price"] = 10.5 * (i + 1) })]),
            ["notes"] = "Leave the parcel with the neighbour at number 12 if nobody answers; deliver between 9 and 17 on weekdays only, please.",
        };
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            _document.WriteTo(writer);
        }

        if (_buffer.WrittenCount is < 900 or > 1200)
        {
            throw new InvalidOperationException($"The document should be about 1 KB (is {_buffer.WrittenCount} bytes).");
        }

        _context = new AuditCommitContext(new UserContext("alice123", "alice"), AuditAction.Update, "orders", "ord-2026-000123", _document, _document)
        {
            StoredVersion = 3,
            ExpectedVersion = 3,
        };
        var rule = new RuleCommitValidator([new AuditCommitRule("non-negative", c => (double?)c.After["total"] is not < 0, "total must not be negative")]);
        var tamper = new TamperCommitValidator();
        var schema = new SchemaCommitValidator("orders", OrderSchema);
        var pii = new PiiCommitValidator(new AuditPiiOptions { Rules = [new AuditPiiRule("orders", "/customer/email", AuditPiiAction.Allow)] });
        _ruleAndTamper = new AuditCommitValidatorChain([rule, tamper]);
        _schema = new AuditCommitValidatorChain([schema]);
        _pii = new AuditCommitValidatorChain([pii]);
        _all = new AuditCommitValidatorChain([rule, tamper, schema, pii]);
        if (Run(_all) is { IsAllowed: false } refused)
        {
            throw new InvalidOperationException("The sample document must pass every validator: " + refused);
        }

        // The same document with one line's quantity zero: the schema refuses it, and a refusal pays for JsonSchema.Net's errors.
        _refusedDocument = _document.DeepClone().AsObject();
        _refusedDocument["lines"]![3]!["qty"] = 0;
        if (Run(_schema, _refusedDocument) is not { IsAllowed: false, Errors: [{ Location: "/lines/3/qty" }] })
        {
            throw new InvalidOperationException("The refused sample must fail the schema at /lines/3/qty.");
        }
    }

    [Benchmark(Baseline = true)]
    public int SerializeDocumentOnce()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        _document.WriteTo(writer);
        writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public bool RuleAndTamper() => Run(_ruleAndTamper).IsAllowed;

    [Benchmark]
    public bool Schema() => Run(_schema).IsAllowed;

    [Benchmark]
    public bool Pii() => Run(_pii).IsAllowed;

    [Benchmark]
    public bool AllFourValidators() => Run(_all).IsAllowed;

    [Benchmark]
    public bool SchemaRefusingDocument() => Run(_schema, _refusedDocument).IsAllowed;

    private AuditValidationVerdict Run(AuditCommitValidatorChain chain) => Run(chain, _document);

    private AuditValidationVerdict Run(AuditCommitValidatorChain chain, JsonObject document)
    {
        // A fresh context per write, as the pipeline makes one: the PII validator notes audit-record redactions in it.
        var context = new AuditCommitContext(_context.User, _context.Action, _context.Collection, _context.DocumentId, document, document)
        {
            StoredVersion = 3,
            ExpectedVersion = 3,
        };
        var task = chain.ValidateAsync(context, CancellationToken.None);
        return task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
    }
}
