using System.Text.Json.Nodes;

namespace Cosmos.Audit.Pipeline;

/// <summary>An <see cref="IAuditDocumentStore"/> in process memory, for tests, samples and single-process tools; contents are lost on exit.</summary>
/// <remarks>Documents are copied in and out, so callers never share an instance with the store. Writes check the expected
/// version under a lock, so a stale write is refused with <see cref="AuditConcurrencyException"/>.</remarks>
public sealed class InMemoryAuditDocumentStore : IAuditDocumentStore
{
    private readonly Dictionary<(string Collection, string Id), (JsonObject Document, long Version)> _documents = [];
    private readonly Lock _gate = new();

    /// <summary>The number of stored documents, soft-deleted ones included.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _documents.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<AuditStoredDocument?> GetAsync(string collection, string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(documentId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_documents.TryGetValue((collection, documentId), out var stored)
                ? new AuditStoredDocument((JsonObject)stored.Document.DeepClone(), stored.Version)
                : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> PutAsync(string collection, string documentId, JsonObject document, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(documentId);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = (JsonObject)document.DeepClone();
        lock (_gate)
        {
            var actual = _documents.TryGetValue((collection, documentId), out var stored) ? stored.Version : AuditStoredDocument.NoVersion;
            if (actual != expectedVersion)
            {
                throw new AuditConcurrencyException(collection, documentId, expectedVersion, actual);
            }

            _documents[(collection, documentId)] = (copy, actual + 1);
            return ValueTask.FromResult(actual + 1);
        }
    }
}
