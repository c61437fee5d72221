using System.ComponentModel.DataAnnotations;

namespace Cosmos.Audit.Identity;

/// <summary>A named HMAC secret in the signing key ring of <see cref="CosmosAuditOptions.SigningKeys"/>.</summary>
public sealed class AuditSigningKey
{
    /// <summary>Gets or sets the key id written into signatures (<c>sig:&lt;id&gt;.…</c>, JWT <c>kid</c>): letters, digits, <c>-</c> and <c>_</c>.</summary>
    /// <value>The default value is an empty string; 1-64 letters, digits, <c>-</c> or <c>_</c> are required.</value>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string Id { get; set; } = "";

    /// <summary>Gets or sets the secret, base64-encoded; at least 32 bytes once decoded.</summary>
    /// <value>The default value is an empty string; a value is required.</value>
    [Required]
    public string Secret { get; set; } = "";

    /// <summary>Creates a key from raw secret bytes.</summary>
    /// <param name="id">The key id.</param>
    /// <param name="secret">The secret bytes (at least 32).</param>
    /// <returns>The key, with <see cref="Secret"/> base64-encoded.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null or empty.</exception>
    public static AuditSigningKey FromBytes(string id, ReadOnlySpan<byte> secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return new AuditSigningKey { Id = id, Secret = Convert.ToBase64String(secret) };
    }
}
