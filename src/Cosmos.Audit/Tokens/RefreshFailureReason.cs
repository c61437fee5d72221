namespace Cosmos.Audit.Tokens;

/// <summary>Why a refresh token was not accepted.</summary>
public enum RefreshFailureReason
{
    /// <summary>The refresh succeeded.</summary>
    None = 0,

    /// <summary>The token was never issued here (or was pruned after expiry).</summary>
    Unknown,

    /// <summary>The token is past its expiry.</summary>
    Expired,

    /// <summary>The token was already used once: a stolen copy is being replayed, so its whole family is revoked.</summary>
    Reused,

    /// <summary>The token's family was revoked (by <see cref="TokenIssuer.RevokeAsync(string, CancellationToken)"/> or after a detected reuse).</summary>
    Revoked,
}
