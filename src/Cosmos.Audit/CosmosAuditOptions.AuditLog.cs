using System.ComponentModel.DataAnnotations;
using Cosmos.Audit.Log;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit;

/// <summary>Audit log settings: the hash-chained log file, group commit, the dead-letter queue and its replay.</summary>
public sealed partial class CosmosAuditOptions
{
    /// <summary>Gets or sets the audit log and dead-letter queue settings.</summary>
    /// <value>The default value is an <see cref="AuditLogOptions"/> with its documented defaults.</value>
    [Required]
    [ValidateObjectMembers]
    public AuditLogOptions AuditLog { get; set; } = new();
}
