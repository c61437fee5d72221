using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Pipeline;

/// <summary>Settings of <see cref="IAuditPipeline"/> and <see cref="IAuditSecurityEventSink"/> (<see cref="CosmosAuditOptions.Pipeline"/>).</summary>
public sealed class AuditPipelineOptions
{
    /// <summary>Gets or sets the limits a document must meet to be written (so that its audit record can be).</summary>
    /// <value>The default value is an <see cref="AuditDocumentLimits"/> with its documented defaults.</value>
    [Required]
    [ValidateObjectMembers]
    public AuditDocumentLimits Limits { get; set; } = new();

    /// <summary>Gets or sets the rate limits of security events (failed authentications, denials, refused writes).</summary>
    /// <value>The default value is an <see cref="AuditSecurityEventOptions"/> with its documented defaults.</value>
    [Required]
    [ValidateObjectMembers]
    public AuditSecurityEventOptions SecurityEvents { get; set; } = new();
}
