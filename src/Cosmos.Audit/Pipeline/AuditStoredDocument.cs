using System.Text.Json.Nodes;

namespace Cosmos.Audit.Pipeline;

/// <summary>A document as read from an <see cref="IAuditDocumentStore"/>, with the version an update must name.</summary>
/// <param name="Document">The stored document.</param>
/// <param name="Version">The stored version: 1 after the create, one more after each write.</param>
public sealed record AuditStoredDocument(JsonObject Document, long Version)
{
    /// <summary>The expected version that means "the document does not exist yet" (a create).</summary>
    public const long NoVersion = 0;
}
