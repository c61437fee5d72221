using System.ComponentModel.DataAnnotations;
using Cosmos.Audit.Pipeline;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit;

/// <summary>Request pipeline settings: publishing limits, security-event rate limits and commit validators.</summary>
public sealed partial class CosmosAuditOptions
{
    /// <summary>Gets or sets the request pipeline settings.</summary>
    /// <value>The default value is an <see cref="AuditPipelineOptions"/> with its documented defaults.</value>
    [Required]
    [ValidateObjectMembers]
    public AuditPipelineOptions Pipeline { get; set; } = new();
}
