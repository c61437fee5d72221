using System.Text.Json.Nodes;
using Cosmos.Audit.Log;

namespace Cosmos.Audit.Pipeline;

/// <summary>A document store that commits a document write and its audit record in one transaction.</summary>
/// <remarks>
/// <para>When the registered <see cref="IAuditDocumentStore"/> implements this interface, <see cref="IAuditPipeline"/> hands it the
/// stamped document together with the fully built <see cref="AuditEvent"/> and does not publish the event through the audit sink:
/// the store records it, exactly once. Every check (token, permission, stamping, limits, commit validators, version) has run before,
/// in the same order as for any other store, and the event is the same one the sink would have received.</para>
/// <para>The guarantee: either both the document change and its record are committed, or neither is. There is never a stored change
/// without its record, nor a record of a change that rolled back. A stale <c>expectedVersion</c> writes neither and throws
/// <see cref="AuditConcurrencyException"/>; any other failure before the commit (the record cannot be appended, the connection
/// drops, the write is canceled) also leaves both unchanged and surfaces as an exception.</para>
/// </remarks>
public interface IAuditTransactionalDocumentStore : IAuditDocumentStore
{
    /// <summary>Writes <paramref name="document"/> if the stored version is still <paramref name="expectedVersion"/>, and appends
    /// <paramref name="auditEvent"/> to the audit log, in one transaction.</summary>
    /// <param name="collection">The collection; must equal the event's <see cref="AuditEvent.Collection"/>.</param>
    /// <param name="documentId">The document id; must equal the event's <see cref="AuditEvent.DocumentId"/>.</param>
    /// <param name="document">The stamped document to store. It may differ from the event's <see cref="AuditEvent.After"/>, which
    /// carries what the commit validators let into the record (redacted fields, for instance).</param>
    /// <param name="expectedVersion">The version the caller read: <see cref="AuditStoredDocument.NoVersion"/> (0) when the document must not exist yet.</param>
    /// <param name="auditEvent">The record of the change, appended as given (same event id, author, time and contents).</param>
    /// <param name="cancellationToken">Cancels the write; canceled before the commit, nothing is written.</param>
    /// <returns>The document's new version (<paramref name="expectedVersion"/> + 1).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The event does not describe <paramref name="collection"/> and <paramref name="documentId"/>, or is incomplete.</exception>
    /// <exception cref="AuditConcurrencyException">The stored version is not <paramref name="expectedVersion"/>; neither the document nor the record was written.</exception>
    ValueTask<long> PutWithRecordAsync(
        string collection,
        string documentId,
        JsonObject document,
        long expectedVersion,
        AuditEvent auditEvent,
        CancellationToken cancellationToken = default);
}
