using System.Security.Cryptography;

namespace Cosmos.Audit.Log;

/// <summary>A key that signs or verifies audit log checkpoints; keep it apart from the JWT and author-string keys.</summary>
/// <remarks>For ECDSA, a key with only <see cref="PublicKeyPem"/> verifies but cannot sign, which is what an auditor should hold.</remarks>
public sealed class AuditCheckpointKey
{
    /// <summary>Gets or sets the key id written into each checkpoint it signs (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>; 1 to 64 characters).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets the algorithm.</summary>
    /// <value>The default value is <see cref="AuditCheckpointAlgorithm.HmacSha256"/>.</value>
    public AuditCheckpointAlgorithm Algorithm { get; set; }

    /// <summary>Gets or sets the HMAC secret, base64 (at least 32 bytes); only for <see cref="AuditCheckpointAlgorithm.HmacSha256"/>.</summary>
    public string? Secret { get; set; }

    /// <summary>Gets or sets the ECDSA P-256 private key (PEM, PKCS#8 or SEC1); only for <see cref="AuditCheckpointAlgorithm.EcdsaP256Sha256"/>.</summary>
    public string? PrivateKeyPem { get; set; }

    /// <summary>Gets or sets the ECDSA P-256 public key (PEM, SubjectPublicKeyInfo), for verifying without the private key.</summary>
    public string? PublicKeyPem { get; set; }

    /// <summary>Creates an HMAC-SHA256 key.</summary>
    /// <param name="id">The key id.</param>
    /// <param name="secret">The secret, at least 32 bytes.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or <paramref name="secret"/> is shorter than 32 bytes.</exception>
    public static AuditCheckpointKey Hmac(string id, ReadOnlySpan<byte> secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (secret.Length < 32)
        {
            throw new ArgumentException("A checkpoint HMAC secret needs at least 32 bytes.", nameof(secret));
        }

        return new AuditCheckpointKey { Id = id, Algorithm = AuditCheckpointAlgorithm.HmacSha256, Secret = Convert.ToBase64String(secret) };
    }

    /// <summary>Creates an ECDSA P-256 key; with a private key it signs, with only a public key it verifies.</summary>
    /// <param name="id">The key id.</param>
    /// <param name="key">The key on curve P-256.</param>
    /// <param name="includePrivateKey">Whether to keep the private key (a signer) or only the public key (a verifier).</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or <paramref name="key"/> is not on P-256.</exception>
    public static AuditCheckpointKey Ecdsa(string id, ECDsa key, bool includePrivateKey = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(key);
        if (key.KeySize != 256)
        {
            throw new ArgumentException("A checkpoint ECDSA key must be on curve P-256.", nameof(key));
        }

        return new AuditCheckpointKey
        {
            Id = id,
            Algorithm = AuditCheckpointAlgorithm.EcdsaP256Sha256,
            PrivateKeyPem = includePrivateKey ? key.ExportPkcs8PrivateKeyPem() : null,
            PublicKeyPem = key.ExportSubjectPublicKeyInfoPem(),
        };
    }
}
