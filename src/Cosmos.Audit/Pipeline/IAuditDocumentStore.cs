using System.Text.Json.Nodes;

namespace Cosmos.Audit.Pipeline;

/// <summary>The host's document storage, as seen by <see cref="IAuditPipeline"/>: read a document, write a document.</summary>
/// <remarks>Soft-deleted documents stay in the store with <c>_deleted: true</c>; the store keeps whatever it is given.</remarks>
public interface IAuditDocumentStore
{
    /// <summary>Reads a document, or returns <see langword="null"/> when there is none with that id.</summary>
    /// <param name="collection">The collection.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stored document (the pipeline does not modify it), or <see langword="null"/>.</returns>
    ValueTask<JsonObject?> GetAsync(string collection, string documentId, CancellationToken cancellationToken = default);

    /// <summary>Writes (inserts or replaces) a document.</summary>
    /// <param name="collection">The collection.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="document">The stamped document; the store may keep this instance.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the document is stored.</returns>
    ValueTask PutAsync(string collection, string documentId, JsonObject document, CancellationToken cancellationToken = default);
}
