using System.ComponentModel.DataAnnotations;

namespace Cosmos.Audit.Pipeline;

/// <summary>Rate limits of <see cref="IAuditSecurityEventSink"/> (<see cref="AuditPipelineOptions.SecurityEvents"/>).</summary>
public sealed class AuditSecurityEventOptions
{
    /// <summary>Gets or sets the length of one rate-limit window.</summary>
    /// <value>The default value is 1 minute. Allowed: 1 second to 1 hour.</value>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how many security events one actor (or one source, when the actor is unknown) may record per window.</summary>
    /// <value>The default value is 20. Allowed: 1 to 100,000.</value>
    [Range(1, 100_000)]
    public int PermitsPerPartition { get; set; } = 20;

    /// <summary>Gets or sets how many security events all actors together may record per window: the bound on what a flood
    /// from many addresses can add to the log.</summary>
    /// <value>The default value is 1,000. Allowed: 1 to 10,000,000.</value>
    [Range(1, 10_000_000)]
    public int PermitsPerWindow { get; set; } = 1_000;

    /// <summary>Gets or sets the longest reason, target or source text recorded; longer text is cut.</summary>
    /// <value>The default value is 512. Allowed: 16 to 65,536.</value>
    [Range(16, 65_536)]
    public int MaxTextLength { get; set; } = 512;
}
