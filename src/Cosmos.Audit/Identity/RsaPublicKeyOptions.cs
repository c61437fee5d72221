namespace Cosmos.Audit.Identity;

/// <summary>An RSA public key of an external token issuer.</summary>
public sealed class RsaPublicKeyOptions
{
    /// <summary>Gets or sets the key id (<c>kid</c>) tokens signed with this key carry.</summary>
    public string Id { get; set; } = "";

    /// <summary>Gets or sets the public key in PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    public string PublicKeyPem { get; set; } = "";
}
