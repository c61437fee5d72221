namespace Cosmos.Audit.Log;

/// <summary>How an <see cref="AuditCheckpoint"/> is signed.</summary>
public enum AuditCheckpointAlgorithm
{
    /// <summary>HMAC-SHA256 with a shared secret (<c>HS256</c>): whoever verifies can also sign.</summary>
    HmacSha256 = 0,

    /// <summary>ECDSA over P-256 with SHA-256 (<c>ES256</c>): verifiers hold only the public key, so they cannot forge a checkpoint.</summary>
    EcdsaP256Sha256 = 1,
}
