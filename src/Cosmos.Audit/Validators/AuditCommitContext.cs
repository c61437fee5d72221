using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Cosmos.Audit.Users;

namespace Cosmos.Audit.Validators;

/// <summary>A write as the commit validators see it: who, what kind of change, which document, before and after.</summary>
public sealed class AuditCommitContext
{
    private List<(bool After, string Pointer)>? _auditRedactions;

    /// <summary>Creates a context (the pipeline does this; tests and hosts running validators themselves may too).</summary>
    /// <param name="user">The authenticated user.</param>
    /// <param name="action">The change.</param>
    /// <param name="collection">The collection.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="before">The stored document, or <see langword="null"/> for a create.</param>
    /// <param name="after">The document to be stored, already stamped.</param>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> or <paramref name="after"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="collection"/> or <paramref name="documentId"/> is null or empty.</exception>
    public AuditCommitContext(UserContext user, AuditAction action, string collection, string documentId, JsonObject? before, JsonObject after)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrEmpty(collection);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentNullException.ThrowIfNull(after);
        User = user;
        Action = action;
        Collection = collection;
        DocumentId = documentId;
        Before = before;
        After = after;
    }

    /// <summary>Gets the authenticated user.</summary>
    public UserContext User { get; }

    /// <summary>Gets the change.</summary>
    public AuditAction Action { get; }

    /// <summary>Gets the collection.</summary>
    public string Collection { get; }

    /// <summary>Gets the document id.</summary>
    public string DocumentId { get; }

    /// <summary>Gets the stored document (do not modify it), or <see langword="null"/> for a create.</summary>
    public JsonObject? Before { get; }

    /// <summary>Gets the document that will be stored, stamped; a validator may redact values in it.</summary>
    public JsonObject After { get; }

    /// <summary>Gets the stored version (<c>0</c> for a create).</summary>
    public long StoredVersion { get; init; }

    /// <summary>Gets the version the caller said it read and is updating, or <see langword="null"/> when it named none.</summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>Gets the audit field names (<c>_created_by</c> and so on) that the caller's document carried; the stamper replaced them.</summary>
    public IReadOnlyList<string> SubmittedAuditFields { get; init; } = [];

    /// <summary>Asks for the string at <paramref name="location"/> to be redacted in the audit record only (the store keeps it).</summary>
    /// <param name="location">A JSON pointer into the document (for example <c>/customer/email</c>).</param>
    /// <param name="inAfter"><see langword="true"/> for the after document, <see langword="false"/> for the before document.</param>
    /// <exception cref="ArgumentNullException"><paramref name="location"/> is <see langword="null"/>.</exception>
    public void RedactInAuditRecord(string location, bool inAfter = true)
    {
        ArgumentNullException.ThrowIfNull(location);
        (_auditRedactions ??= []).Add((inAfter, location));
    }

    internal IReadOnlyList<(bool After, string Pointer)> AuditRedactions => (IReadOnlyList<(bool After, string Pointer)>?)_auditRedactions ?? [];
}
