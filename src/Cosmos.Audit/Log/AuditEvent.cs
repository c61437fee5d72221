using System.Text.Json.Nodes;

namespace Cosmos.Audit.Log;

/// <summary>One audited change (who did what to which document, when, and the document before and after), or one
/// security event (a failed authentication, a denial or a refused write: who, if known, why, and the target).</summary>
/// <remarks>
/// <para>A change (<see cref="AuditAction.Create"/> to <see cref="AuditAction.Restore"/>) needs <see cref="Author"/>,
/// <see cref="Collection"/> and <see cref="DocumentId"/>. A security event needs <see cref="Reason"/>; its author is empty when
/// the actor is unknown, and its collection and document id are empty when the target is not a document.</para>
/// <para>Sinks serialize the event when it is handed to them, so <see cref="Before"/> and <see cref="After"/> may be
/// reused by the caller once the append call has returned (even before its task completes).</para>
/// </remarks>
public sealed class AuditEvent
{
    /// <summary>The event's unique id; sinks and the dead-letter replay use it to store each event exactly once.</summary>
    public required Guid EventId { get; init; }

    /// <summary>Who made the change, as a secure author string (e.g. <c>alice (alice123)|verified|ts:...|sig:...</c>).</summary>
    public required string Author { get; init; }

    /// <summary>The kind of change.</summary>
    public required AuditAction Action { get; init; }

    /// <summary>The collection (table, container) that holds the document.</summary>
    public required string Collection { get; init; }

    /// <summary>The changed document's id within <see cref="Collection"/>.</summary>
    public required string DocumentId { get; init; }

    /// <summary>When the change happened (UTC).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Why a security event happened (for example <c>missing permission 'documents.write'</c>); <see langword="null"/> for a change.</summary>
    /// <remarks>Never carries a token, a signature or a refused raw value.</remarks>
    public string? Reason { get; init; }

    /// <summary>What a security event was aimed at when it is not a document (for example <c>POST /documents/42</c>); otherwise <see langword="null"/>.</summary>
    public string? Target { get; init; }

    /// <summary>The document before the change; <see langword="null"/> for a create.</summary>
    public JsonObject? Before { get; init; }

    /// <summary>The document after the change.</summary>
    public JsonObject? After { get; init; }

    /// <summary>Creates an event with a time-ordered (version 7) id stamped from <paramref name="timeProvider"/>.</summary>
    /// <param name="action">The kind of change.</param>
    /// <param name="collection">The collection that holds the document.</param>
    /// <param name="documentId">The document's id.</param>
    /// <param name="author">The secure author string of the user who made the change.</param>
    /// <param name="before">The document before the change, or <see langword="null"/>.</param>
    /// <param name="after">The document after the change, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <returns>The new event.</returns>
    /// <exception cref="ArgumentException"><paramref name="collection"/>, <paramref name="documentId"/> or <paramref name="author"/> is null or empty.</exception>
    public static AuditEvent Create(
        AuditAction action,
        string collection,
        string documentId,
        string author,
        JsonObject? before,
        JsonObject? after,
        TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentException.ThrowIfNullOrEmpty(author);
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow().ToUniversalTime();
        return new AuditEvent
        {
            EventId = Guid.CreateVersion7(now),
            Author = author,
            Action = action,
            Collection = collection,
            DocumentId = documentId,
            OccurredAt = now,
            Before = before,
            After = after,
        };
    }
}
