using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Cosmos.Audit.Identity;

/// <summary>How access tokens are validated and issued.</summary>
public sealed class AuditJwtOptions
{
    /// <summary>Gets or sets the issuer (<c>iss</c>) tokens must carry and that issued tokens get. Required.</summary>
    /// <value>The default value is <see langword="null"/>; a value is required.</value>
    [Required]
    public string? Issuer { get; set; }

    /// <summary>Gets or sets the audience (<c>aud</c>) tokens must carry and that issued tokens get. Required.</summary>
    /// <value>The default value is <see langword="null"/>; a value is required.</value>
    [Required]
    public string? Audience { get; set; }

    /// <summary>Gets or sets the accepted signing algorithms; <c>none</c> is never accepted.</summary>
    /// <remarks>HMAC algorithms (<c>HS*</c>) are only checked against <see cref="CosmosAuditOptions.SigningKeys"/> and RSA algorithms
    /// (<c>RS*</c>, <c>PS*</c>) only against <see cref="RsaPublicKeys"/>, so a token cannot pass an RSA public key off as an HMAC secret.</remarks>
    /// <value>The default value is <c>["HS256"]</c>.</value>
    [Required]
    public IList<string> ValidAlgorithms { get; set; } = [SecurityAlgorithms.HmacSha256];

    /// <summary>Gets or sets RSA public keys of an external token issuer, for <c>RS256</c> tokens.</summary>
    /// <value>The default value is an empty list.</value>
    [Required]
    [ValidateEnumeratedItems]
    public IList<RsaPublicKeyOptions> RsaPublicKeys { get; set; } = [];

    /// <summary>Gets or sets the tolerance applied to <c>exp</c> and <c>nbf</c> for clock differences between machines.</summary>
    /// <value>The default value is 30 seconds; at most 5 minutes.</value>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Read by the source-generated options validator, which emits its own trim-safe TimeSpan range check.")]
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the largest token accepted, in bytes; larger tokens are rejected before parsing.</summary>
    /// <value>The default value is 8192.</value>
    [Range(256, 1024 * 1024)]
    public int MaxTokenSizeInBytes { get; set; } = 8192;

    /// <summary>Gets or sets the lifetime of issued access tokens.</summary>
    /// <value>The default value is 15 minutes.</value>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Read by the source-generated options validator, which emits its own trim-safe TimeSpan range check.")]
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets the lifetime of issued refresh tokens.</summary>
    /// <value>The default value is 7 days.</value>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets how long a successful validation is cached; an entry never outlives the token's <c>exp</c>.</summary>
    /// <value>The default value is 5 minutes; at most 5 minutes; <see cref="TimeSpan.Zero"/> disables the cache.</value>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Read by the source-generated options validator, which emits its own trim-safe TimeSpan range check.")]
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ValidationCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the largest number of cached validation results.</summary>
    /// <value>The default value is 10000.</value>
    [Range(1, int.MaxValue)]
    public int ValidationCacheSize { get; set; } = 10_000;

    /// <summary>Gets or sets which claims fill the <see cref="Users.UserContext"/>.</summary>
    /// <value>The default value is a <see cref="JwtClaimMapping"/> with its documented defaults.</value>
    [Required]
    [ValidateObjectMembers]
    public JwtClaimMapping Claims { get; set; } = new();
}
