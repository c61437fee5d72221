namespace Cosmos.Audit.Stamping;

/// <summary>An entity that records who created it and when; stamped by <see cref="AuditStamper"/>.</summary>
/// <remarks>Map the properties to <c>_created_by</c>, <c>_created_by_username</c> and <c>_created_at</c> with
/// <c>[JsonPropertyName]</c> when the entity is serialized.</remarks>
public interface ICreationAudited
{
    /// <summary>Gets or sets the id of the user who created the entity.</summary>
    string? CreatedBy { get; set; }

    /// <summary>Gets or sets the name of the user who created the entity.</summary>
    string? CreatedByUsername { get; set; }

    /// <summary>Gets or sets when the entity was created (UTC).</summary>
    DateTimeOffset? CreatedAt { get; set; }
}
