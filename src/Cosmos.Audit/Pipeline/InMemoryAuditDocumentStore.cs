using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Cosmos.Audit.Pipeline;

/// <summary>An <see cref="IAuditDocumentStore"/> in process memory, for tests, samples and single-process tools; contents are lost on exit.</summary>
/// <remarks>Documents are copied in and out, so callers never share an instance with the store.</remarks>
public sealed class InMemoryAuditDocumentStore : IAuditDocumentStore
{
    private readonly ConcurrentDictionary<(string Collection, string Id), JsonObject> _documents = new();

    /// <summary>The number of stored documents, soft-deleted ones included.</summary>
    public int Count => _documents.Count;

    /// <inheritdoc />
    public ValueTask<JsonObject?> GetAsync(string collection, string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(documentId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_documents.TryGetValue((collection, documentId), out var document) ? (JsonObject)document.DeepClone() : null);
    }

    /// <inheritdoc />
    public ValueTask PutAsync(string collection, string documentId, JsonObject document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(documentId);
        ArgumentNullException.ThrowIfNull(document);
        cancellationToken.ThrowIfCancellationRequested();
        _documents[(collection, documentId)] = (JsonObject)document.DeepClone();
        return ValueTask.CompletedTask;
    }
}
