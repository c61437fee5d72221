using System.Text.Json.Nodes;

namespace Cosmos.Audit.Pipeline;

/// <summary>The host's document storage, as seen by <see cref="IAuditPipeline"/>: read a document with its version, write one
/// only if it still has the version that was read (optimistic concurrency).</summary>
/// <remarks>
/// <para>Versions start at 1 for a created document and grow by one with each write; <see cref="AuditStoredDocument.NoVersion"/> (0)
/// stands for "no document". A write names the version it read as <c>expectedVersion</c>: 0 for a create (the id must be free),
/// the read version for an update, delete or restore. When the stored version differs the store writes nothing and throws
/// <see cref="AuditConcurrencyException"/>, so two concurrent updates never silently overwrite each other.</para>
/// <para>Soft-deleted documents stay in the store with <c>_deleted: true</c>; the store keeps whatever it is given.</para>
/// </remarks>
public interface IAuditDocumentStore
{
    /// <summary>Reads a document and its version, or returns <see langword="null"/> when there is none with that id.</summary>
    /// <param name="collection">The collection.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stored document (the pipeline does not modify it) with its version, or <see langword="null"/>.</returns>
    ValueTask<AuditStoredDocument?> GetAsync(string collection, string documentId, CancellationToken cancellationToken = default);

    /// <summary>Writes (inserts or replaces) a document if the stored version is still <paramref name="expectedVersion"/>.</summary>
    /// <param name="collection">The collection.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="document">The stamped document; the store may keep this instance.</param>
    /// <param name="expectedVersion">The version the caller read: <see cref="AuditStoredDocument.NoVersion"/> (0) when the document must not exist yet.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The document's new version (<paramref name="expectedVersion"/> + 1).</returns>
    /// <exception cref="AuditConcurrencyException">The stored version is not <paramref name="expectedVersion"/>; nothing was written.</exception>
    ValueTask<long> PutAsync(string collection, string documentId, JsonObject document, long expectedVersion, CancellationToken cancellationToken = default);
}
