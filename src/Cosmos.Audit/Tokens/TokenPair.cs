namespace Cosmos.Audit.Tokens;

/// <summary>An access token and the refresh token that renews it.</summary>
/// <param name="AccessToken">The signed JWT (HS256) to send as a bearer token.</param>
/// <param name="AccessTokenExpiresAt">When the access token expires.</param>
/// <param name="RefreshToken">The opaque, single-use refresh token.</param>
/// <param name="RefreshTokenExpiresAt">When the refresh token expires.</param>
public sealed record TokenPair(string AccessToken, DateTimeOffset AccessTokenExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"TokenPair {{ AccessTokenExpiresAt = {AccessTokenExpiresAt:O}, RefreshTokenExpiresAt = {RefreshTokenExpiresAt:O} }}"; // never print secrets
}
