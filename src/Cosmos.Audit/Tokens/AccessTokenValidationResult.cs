using Cosmos.Audit.Users;

namespace Cosmos.Audit.Tokens;

/// <summary>The outcome of <see cref="AccessTokenValidator.ValidateAsync(string, CancellationToken)"/>.</summary>
public sealed record AccessTokenValidationResult
{
    private AccessTokenValidationResult(TokenFailureReason failure, UserContext? user, DateTimeOffset? expiresAt, bool fromCache)
    {
        Failure = failure;
        User = user;
        ExpiresAt = expiresAt;
        FromCache = fromCache;
    }

    /// <summary>Gets a value indicating whether the token was accepted.</summary>
    public bool IsValid => Failure == TokenFailureReason.None;

    /// <summary>Gets why the token was rejected, or <see cref="TokenFailureReason.None"/>.</summary>
    public TokenFailureReason Failure { get; }

    /// <summary>Gets the user the token names; set only when <see cref="IsValid"/>.</summary>
    public UserContext? User { get; }

    /// <summary>Gets the token's expiry (<c>exp</c>); set only when <see cref="IsValid"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Gets a value indicating whether the answer came from the validation cache.</summary>
    public bool FromCache { get; }

    internal static AccessTokenValidationResult Valid(UserContext user, DateTimeOffset expiresAt, bool fromCache) =>
        new(TokenFailureReason.None, user, expiresAt, fromCache);

    internal static AccessTokenValidationResult Rejected(TokenFailureReason failure) => new(failure, null, null, false);
}
