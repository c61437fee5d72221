using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cosmos.Audit.Stamping;
using Cosmos.Audit.Validators.Internal;
using Json.Schema;

namespace Cosmos.Audit.Validators;

/// <summary>The <c>schema</c> validator: the document of one collection must match a JSON Schema (evaluated by JsonSchema.Net);
/// a refusal lists each failing location as a JSON pointer.</summary>
/// <remarks>Errors name the failing keyword only (<c>fails 'minimum'</c>), never the library's message, which may quote the
/// refused value; refusals are audited, and the audit record must not carry personal data a later validator would have caught.
/// The audit fields are the server's, so they are left out of what the schema sees: a schema describes the client's
/// content and may say <c>"additionalProperties": false</c>. Deletes and restores change only audit fields and are not checked.</remarks>
public sealed class SchemaCommitValidator : IAuditCommitValidator
{
    // Valid documents, the common case, are checked with the short-circuiting flag output; only a refusal pays for the list of errors.
    private static readonly EvaluationOptions Quick = CreateQuick();
    private static readonly EvaluationOptions Detailed = new() { OutputFormat = OutputFormat.List };

    private readonly string _collection;
    private readonly JsonSchema _schema;
    private readonly SchemaCertificate? _certificate;

    /// <summary>Creates the validator for <paramref name="collection"/> from the schema's JSON text.</summary>
    /// <param name="collection">The collection whose documents are checked.</param>
    /// <param name="schemaJson">The JSON Schema (draft 2020-12 unless the schema says otherwise).</param>
    /// <exception cref="ArgumentException"><paramref name="collection"/> is null or empty, or <paramref name="schemaJson"/> is not a valid schema.</exception>
    public SchemaCommitValidator(string collection, string schemaJson)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        ArgumentException.ThrowIfNullOrEmpty(schemaJson);
        _collection = collection;
        try
        {
            // Each validator builds its schema in its own registry scope, so two collections may use the same $id.
            _schema = JsonSchema.FromText(schemaJson, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception ex) when (ex is JsonException or JsonSchemaException or InvalidOperationException or ArgumentException)
        {
            throw new ArgumentException($"The schema for collection '{collection}' is not a valid JSON Schema: {ex.Message}", nameof(schemaJson), ex);
        }

        using var schemaDocument = JsonDocument.Parse(schemaJson);
        _certificate = SchemaCertificate.TryCompile(schemaDocument.RootElement);
    }

    /// <inheritdoc />
    public string Name => "schema";

    private static EvaluationOptions CreateQuick()
    {
        // Annotations only matter for reporting; a yes/no check skips collecting them.
        var options = new EvaluationOptions { OutputFormat = OutputFormat.Flag };
        options.IgnoreAllAnnotations();
        return options;
    }

    /// <summary>Gets the collection whose documents this validator checks.</summary>
    public string Collection => _collection;

    /// <inheritdoc />
    public ValueTask<AuditValidationVerdict> ValidateAsync(AuditCommitContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.Equals(context.Collection, _collection, StringComparison.Ordinal)
            || context.Action is not (Log.AuditAction.Create or Log.AuditAction.Update))
        {
            return ValueTask.FromResult(AuditValidationVerdict.Allow(Name));
        }

        // Most writes are valid: when the schema is plain enough to be proved on the nodes themselves, a valid document costs a walk;
        // anything the proof cannot settle goes to JsonSchema.Net, whose verdict and errors are the ones reported.
        if (IsCertified(context.After))
        {
            return ValueTask.FromResult(AuditValidationVerdict.Allow(Name));
        }

        using var document = ContentOf(context.After);
        if (_schema.Evaluate(document.RootElement, Quick).IsValid)
        {
            return ValueTask.FromResult(AuditValidationVerdict.Allow(Name));
        }

        var results = _schema.Evaluate(document.RootElement, Detailed);

        var errors = new List<AuditValidationError>();
        Collect(results, errors);
        if (errors.Count == 0)
        {
            errors.Add(new AuditValidationError(string.Empty, "the document does not match the schema"));
        }

        return ValueTask.FromResult(AuditValidationVerdict.Refuse(Name, $"the document does not match the schema of '{_collection}'", errors));
    }

    /// <summary>Whether the document is proved valid without JsonSchema.Net (never true for a document the library would refuse).</summary>
    internal bool IsCertified(JsonObject after) => _certificate?.Certifies(after, AuditFields.IsAuditField) ?? false;

    /// <summary>JsonSchema.Net's own yes/no verdict on the document, as the schema sees it.</summary>
    internal bool LibraryAccepts(JsonObject after)
    {
        using var document = ContentOf(after);
        return _schema.Evaluate(document.RootElement, Quick).IsValid;
    }

    /// <summary>The client's content of <paramref name="after"/> (audit fields left out), parsed for the library.</summary>
    private static JsonDocument ContentOf(JsonObject after)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in after)
            {
                if (AuditFields.IsAuditField(name))
                {
                    continue;
                }

                writer.WritePropertyName(name);
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static void Collect(EvaluationResults results, List<AuditValidationError> errors)
    {
        if (results.Errors is { Count: > 0 } messages)
        {
            foreach (var (keyword, _) in messages)
            {
                errors.Add(new AuditValidationError(results.InstanceLocation.ToString(), $"fails '{keyword}'"));
            }
        }

        if (results.Details is { } details)
        {
            foreach (var detail in details)
            {
                Collect(detail, errors);
            }
        }
    }
}
