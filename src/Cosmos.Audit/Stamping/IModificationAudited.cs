namespace Cosmos.Audit.Stamping;

/// <summary>An entity that records who last changed it and when; stamped by <see cref="AuditStamper"/>.</summary>
public interface IModificationAudited
{
    /// <summary>Gets or sets the id of the user who last changed the entity.</summary>
    string? UpdatedBy { get; set; }

    /// <summary>Gets or sets the name of the user who last changed the entity.</summary>
    string? UpdatedByUsername { get; set; }

    /// <summary>Gets or sets when the entity was last changed (UTC).</summary>
    DateTimeOffset? UpdatedAt { get; set; }
}
