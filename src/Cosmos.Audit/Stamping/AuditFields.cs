namespace Cosmos.Audit.Stamping;

/// <summary>The names of the ten audit fields stamped on JSON documents.</summary>
public static class AuditFields
{
    /// <summary>The id of the user who created the document.</summary>
    public const string CreatedBy = "_created_by";

    /// <summary>The name of the user who created the document.</summary>
    public const string CreatedByUsername = "_created_by_username";

    /// <summary>When the document was created (UTC ISO-8601).</summary>
    public const string CreatedAt = "_created_at";

    /// <summary>The id of the user who last changed the document.</summary>
    public const string UpdatedBy = "_updated_by";

    /// <summary>The name of the user who last changed the document.</summary>
    public const string UpdatedByUsername = "_updated_by_username";

    /// <summary>When the document was last changed (UTC ISO-8601).</summary>
    public const string UpdatedAt = "_updated_at";

    /// <summary>Whether the document is soft-deleted; <see langword="false"/> by default.</summary>
    public const string Deleted = "_deleted";

    /// <summary>The id of the user who soft-deleted the document.</summary>
    public const string DeletedBy = "_deleted_by";

    /// <summary>The name of the user who soft-deleted the document.</summary>
    public const string DeletedByUsername = "_deleted_by_username";

    /// <summary>When the document was soft-deleted (UTC ISO-8601).</summary>
    public const string DeletedAt = "_deleted_at";

    /// <summary>Gets all ten field names, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        CreatedBy, CreatedByUsername, CreatedAt,
        UpdatedBy, UpdatedByUsername, UpdatedAt,
        Deleted, DeletedBy, DeletedByUsername, DeletedAt,
    ];

    /// <summary>Returns <see langword="true"/> when <paramref name="name"/> is one of the ten audit field names.</summary>
    /// <param name="name">A property name.</param>
    /// <returns>Whether the name is reserved for stamping.</returns>
    public static bool IsAuditField(string name) => name switch
    {
        CreatedBy or CreatedByUsername or CreatedAt or UpdatedBy or UpdatedByUsername or UpdatedAt
            or Deleted or DeletedBy or DeletedByUsername or DeletedAt => true,
        _ => false,
    };
}
