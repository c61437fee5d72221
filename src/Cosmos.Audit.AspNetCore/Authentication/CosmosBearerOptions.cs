using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;

namespace Cosmos.Audit.AspNetCore.Authentication;

/// <summary>Options of the Cosmos bearer scheme. Token rules (keys, issuer, audience, algorithms, cache) are the
/// <see cref="CosmosAuditOptions.Jwt"/> settings of <c>AddCosmosAudit</c>, so one validator serves HTTP and the pipeline.</summary>
public sealed class CosmosBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>Gets or sets the hooks of the scheme.</summary>
    /// <value>The default value is a <see cref="CosmosBearerEvents"/> whose hooks do nothing.</value>
    public new CosmosBearerEvents Events
    {
        get => (CosmosBearerEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>Creates the options with hooks that do nothing.</summary>
    public CosmosBearerOptions() => Events = new CosmosBearerEvents();

    /// <summary>Gets or sets the <c>realm</c> sent in <c>WWW-Authenticate</c> challenges (RFC 6750 §3); <see langword="null"/> sends none.</summary>
    /// <remarks>Printable ASCII without <c>"</c> or <c>\</c>, since it is written into a quoted header parameter.</remarks>
    /// <value>The default value is <see langword="null"/>.</value>
    [RegularExpression(@"^[\x20-\x21\x23-\x5B\x5D-\x7E]*$")]
    [StringLength(256, MinimumLength = 1)]
    public string? Realm { get; set; }

    /// <summary>Gets or sets a value indicating whether challenges carry an <c>error_description</c> saying why the token was refused
    /// (for example "The token has expired."). The description never contains the token or its claims.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IncludeErrorDescription { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether 401 and 403 responses written by the scheme carry an RFC 9457 problem
    /// details body (through <see cref="Microsoft.AspNetCore.Http.IProblemDetailsService"/> when the host registered one).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool WriteProblemDetails { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether a presented token that is rejected is reported as a failed
    /// authentication (caller address, reason and target; never the token).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ReportFailedAuthentications { get; set; } = true;
}
