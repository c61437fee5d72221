namespace Cosmos.Audit.Stamping;

/// <summary>An entity that is soft-deleted (flagged, never removed) and records who deleted it and when.</summary>
public interface ISoftDeletable
{
    /// <summary>Gets or sets a value indicating whether the entity is soft-deleted.</summary>
    bool IsDeleted { get; set; }

    /// <summary>Gets or sets the id of the user who deleted the entity.</summary>
    string? DeletedBy { get; set; }

    /// <summary>Gets or sets the name of the user who deleted the entity.</summary>
    string? DeletedByUsername { get; set; }

    /// <summary>Gets or sets when the entity was deleted (UTC).</summary>
    DateTimeOffset? DeletedAt { get; set; }
}
