namespace Cosmos.Audit.Pipeline;

/// <summary>Thrown by <see cref="IAuditDocumentStore.PutAsync"/> when the stored version is not the one the writer read:
/// another write came first, and this one was not applied.</summary>
public sealed class AuditConcurrencyException : Exception
{
    /// <summary>Creates the exception for a stale write.</summary>
    /// <param name="collection">The collection.</param>
    /// <param name="documentId">The document id.</param>
    /// <param name="expectedVersion">The version the writer named.</param>
    /// <param name="actualVersion">The version in the store (<see cref="AuditStoredDocument.NoVersion"/> when the document does not exist), or <see langword="null"/> when the store cannot tell.</param>
    public AuditConcurrencyException(string collection, string documentId, long expectedVersion, long? actualVersion)
        : base(FormatMessage(collection, documentId, expectedVersion, actualVersion))
    {
        Collection = collection;
        DocumentId = documentId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>Creates the exception with a message (serialization-style constructor kept for tooling).</summary>
    public AuditConcurrencyException()
        : this(string.Empty, string.Empty, 0, null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public AuditConcurrencyException(string message)
        : base(message)
    {
        Collection = string.Empty;
        DocumentId = string.Empty;
    }

    /// <summary>Creates the exception with a message and the store's own error.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The store's error.</param>
    public AuditConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Collection = string.Empty;
        DocumentId = string.Empty;
    }

    /// <summary>The collection of the document.</summary>
    public string Collection { get; }

    /// <summary>The id of the document.</summary>
    public string DocumentId { get; }

    /// <summary>The version the writer read and named.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version found in the store, or <see langword="null"/> when the store cannot tell.</summary>
    public long? ActualVersion { get; }

    private static string FormatMessage(string collection, string documentId, long expectedVersion, long? actualVersion) =>
        $"The document '{documentId}' in '{collection}' was expected at version {expectedVersion} but " +
        (actualVersion is { } actual ? $"is at version {actual}" : "has changed") + "; the write was not applied.";
}
