namespace Cosmos.Audit.Tokens;

/// <summary>Refresh-token family settings.</summary>
/// <remarks>Each token's own (sliding) lifetime is <see cref="Identity.AuditJwtOptions.RefreshTokenLifetime"/>; no token of a family
/// outlives the family's <see cref="AbsoluteLifetime"/>.</remarks>
public sealed class RefreshTokenOptions
{
    /// <summary>Gets or sets how long a refresh-token family lives from sign-in; rotation never extends it, so a stolen family
    /// dies at this age even when it is rotated in time, and the user signs in again.</summary>
    /// <value>The default value is 7 days. It must be positive and at least <see cref="Identity.AuditJwtOptions.RefreshTokenLifetime"/>.</value>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(7);
}
