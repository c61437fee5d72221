using System.ComponentModel.DataAnnotations;

namespace Cosmos.Audit.Pipeline;

/// <summary>What the audit log can record, checked by <see cref="IAuditPipeline"/> before the store write so that a document
/// whose audit record could not be written is refused, never stored without its record (<see cref="AuditPipelineOptions.Limits"/>).</summary>
public sealed class AuditDocumentLimits
{
    /// <summary>Gets or sets the largest document, in bytes of its UTF-8 JSON.</summary>
    /// <value>The default value is 1,048,576 (1 MiB). Allowed: 1,024 to 67,108,864.</value>
    [Range(1_024, 67_108_864)]
    public int MaxDocumentBytes { get; set; } = 1_048_576;

    /// <summary>Gets or sets the deepest nesting of objects and arrays in a document (the document itself is depth 1).</summary>
    /// <value>The default value is 64, the System.Text.Json default. Allowed: 1 to 900 (the audit record nests the document two levels deeper, under a 1,000 limit).</value>
    [Range(1, 900)]
    public int MaxDepth { get; set; } = 64;

    /// <summary>Gets or sets the longest collection name and document id, in UTF-16 characters.</summary>
    /// <value>The default value is 256. Allowed: 1 to 4,096.</value>
    [Range(1, 4_096)]
    public int MaxIdLength { get; set; } = 256;
}
