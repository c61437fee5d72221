using Cosmos.Audit.Users;

namespace Cosmos.Audit.Tokens;

/// <summary>The outcome of <see cref="IRefreshTokenStore.RotateAsync"/>.</summary>
/// <param name="Failure">Why the token was refused, or <see cref="RefreshFailureReason.None"/> when it was rotated.</param>
/// <param name="User">The family's user, when the token was known; <see langword="null"/> for <see cref="RefreshFailureReason.Unknown"/>.</param>
/// <param name="ReplacementExpiresAt">When the replacement token expires; set only on success.</param>
public sealed record RefreshTokenRotation(RefreshFailureReason Failure, UserContext? User, DateTimeOffset? ReplacementExpiresAt)
{
    /// <summary>Gets a value indicating whether the token was rotated.</summary>
    public bool Succeeded => Failure == RefreshFailureReason.None;
}
