using System.ComponentModel.DataAnnotations;

namespace Cosmos.Audit.Identity;

/// <summary>An RSA public key of an external token issuer.</summary>
public sealed class RsaPublicKeyOptions
{
    /// <summary>Gets or sets the key id (<c>kid</c>) tokens signed with this key carry.</summary>
    /// <value>The default value is an empty string; 1-64 letters, digits, <c>-</c> or <c>_</c> are required.</value>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string Id { get; set; } = "";

    /// <summary>Gets or sets the public key in PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    /// <value>The default value is an empty string; a value is required.</value>
    [Required]
    public string PublicKeyPem { get; set; } = "";
}
