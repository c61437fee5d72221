using System.Text.Json.Nodes;
using Cosmos.Audit.Users;

namespace Cosmos.Audit.Pipeline;

/// <summary>
/// One entry point per request: validate the access token → user context → permission check → stamped write → audit event.
/// </summary>
/// <remarks>
/// <para>The <c>accessToken</c> parameters take a compact JWT, with or without a <c>Bearer </c> prefix (so an
/// <c>Authorization</c> header value can be passed as is). The user is made current (<see cref="IUserContextAccessor"/>) while
/// the store is called. The document is stored first and the audit event published after; if the sink fails the event is
/// dead-lettered, so a stored change is never left without its audit record.</para>
/// <para>Writes are optimistic: the store writes only if the document still has the version that was read, so of two concurrent
/// updates one succeeds and the other ends with <see cref="AuditedWriteStatus.VersionMismatch"/>. A caller that names the
/// version it read (<c>expectedVersion</c>, e.g. from an <c>If-Match</c> header) is refused when the document has moved on since.</para>
/// <para>Before the store write the pipeline checks that the change can be recorded (<see cref="AuditDocumentLimits"/>) and runs the
/// commit validators in order; a refusal writes nothing. Failed authentications, denials and refusals are recorded as security
/// events (<see cref="IAuditSecurityEventSink"/>).</para>
/// </remarks>
public interface IAuditPipeline
{
    /// <summary>Creates a document: stamps created and updated fields (overwriting any the client sent), stores it, audits <c>Create</c>.</summary>
    /// <param name="accessToken">The token or <c>Authorization</c> header value.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="documentId">The new document's id.</param>
    /// <param name="document">The client's document; it is stamped in place.</param>
    /// <param name="permission">The permission the user needs, e.g. <c>documents.write</c>.</param>
    /// <param name="cancellationToken">Cancels the request before the store write; after it, the audit event is still kept.</param>
    /// <returns>The result; <see cref="AuditedWriteStatus.Conflict"/> when the id exists.</returns>
    /// <exception cref="ArgumentException"><paramref name="collection"/>, <paramref name="documentId"/> or <paramref name="permission"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is <see langword="null"/>.</exception>
    Task<AuditedWriteResult> CreateAsync(string? accessToken, string collection, string documentId, JsonObject document, string permission, CancellationToken cancellationToken = default);

    /// <summary>Replaces a document: stamps updated fields, keeps the stored created fields, stores it, audits <c>Update</c> with before and after.</summary>
    /// <param name="accessToken">The token or <c>Authorization</c> header value.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="document">The client's new version; it is stamped in place.</param>
    /// <param name="permission">The permission the user needs.</param>
    /// <param name="expectedVersion">The version the caller read, or <see langword="null"/> to use the version read now.</param>
    /// <param name="cancellationToken">Cancels the request before the store write.</param>
    /// <returns>The result; <see cref="AuditedWriteStatus.NotFound"/> or <see cref="AuditedWriteStatus.Conflict"/> (deleted) when it cannot be updated.</returns>
    /// <exception cref="ArgumentException"><paramref name="collection"/>, <paramref name="documentId"/> or <paramref name="permission"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is less than 1.</exception>
    Task<AuditedWriteResult> UpdateAsync(string? accessToken, string collection, string documentId, JsonObject document, string permission, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Soft-deletes a document (flag plus who and when), stores it, audits <c>Delete</c>.</summary>
    /// <param name="accessToken">The token or <c>Authorization</c> header value.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="permission">The permission the user needs.</param>
    /// <param name="expectedVersion">The version the caller read, or <see langword="null"/> to use the version read now.</param>
    /// <param name="cancellationToken">Cancels the request before the store write.</param>
    /// <returns>The result; <see cref="AuditedWriteStatus.NotFound"/> or <see cref="AuditedWriteStatus.Conflict"/> (already deleted) when it cannot be deleted.</returns>
    /// <exception cref="ArgumentException"><paramref name="collection"/>, <paramref name="documentId"/> or <paramref name="permission"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is less than 1.</exception>
    Task<AuditedWriteResult> DeleteAsync(string? accessToken, string collection, string documentId, string permission, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Restores a soft-deleted document, stores it, audits <c>Restore</c>.</summary>
    /// <param name="accessToken">The token or <c>Authorization</c> header value.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="permission">The permission the user needs.</param>
    /// <param name="expectedVersion">The version the caller read, or <see langword="null"/> to use the version read now.</param>
    /// <param name="cancellationToken">Cancels the request before the store write.</param>
    /// <returns>The result; <see cref="AuditedWriteStatus.NotFound"/> or <see cref="AuditedWriteStatus.Conflict"/> (not deleted) when it cannot be restored.</returns>
    /// <exception cref="ArgumentException"><paramref name="collection"/>, <paramref name="documentId"/> or <paramref name="permission"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is less than 1.</exception>
    Task<AuditedWriteResult> RestoreAsync(string? accessToken, string collection, string documentId, string permission, long? expectedVersion = null, CancellationToken cancellationToken = default);
}
