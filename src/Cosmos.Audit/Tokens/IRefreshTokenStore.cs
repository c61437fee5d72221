namespace Cosmos.Audit.Tokens;

/// <summary>Where refresh tokens and their families live: in process memory by default, or a shared database so every host
/// of an application honours the same tokens.</summary>
/// <remarks>
/// <para>Tokens are known only by their SHA-256 (hex), never in clear. A family is every token rotated from one sign-in; it
/// has an absolute expiry that rotation never extends.</para>
/// <para>Atomicity contract: <see cref="RotateAsync"/> is one indivisible step. Of any number of concurrent rotations of the
/// same token, on any number of hosts, exactly one succeeds; every other one finds the token used, revokes the family and
/// reports <see cref="RefreshFailureReason.Reused"/>.</para>
/// </remarks>
public interface IRefreshTokenStore
{
    /// <summary>Stores the first token of a new family (a sign-in).</summary>
    /// <param name="grant">The token and its family.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the token is stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="grant"/> is <see langword="null"/>.</exception>
    Task AddFamilyAsync(RefreshTokenGrant grant, CancellationToken cancellationToken = default);

    /// <summary>Atomically redeems <paramref name="presentedTokenHash"/> and, when it is valid and unused, marks it used and stores
    /// <paramref name="replacementTokenHash"/> in the same family, expiring at <c>min(now + replacementLifetime, family expiry)</c>.</summary>
    /// <param name="presentedTokenHash">The SHA-256 (hex) of the presented token.</param>
    /// <param name="replacementTokenHash">The SHA-256 (hex) of the token that replaces it.</param>
    /// <param name="now">The current time.</param>
    /// <param name="replacementLifetime">The sliding lifetime of the replacement token.</param>
    /// <param name="cancellationToken">Cancels the rotation; it may or may not have taken effect if it fires after the request was sent.</param>
    /// <returns>The outcome: the user and the replacement's expiry on success, otherwise why the token was refused.</returns>
    /// <exception cref="ArgumentException">A hash is null or empty, or <paramref name="replacementLifetime"/> is not positive.</exception>
    Task<RefreshTokenRotation> RotateAsync(
        string presentedTokenHash,
        string replacementTokenHash,
        DateTimeOffset now,
        TimeSpan replacementLifetime,
        CancellationToken cancellationToken = default);

    /// <summary>Revokes the family of <paramref name="tokenHash"/>: no token of it can be rotated any more.</summary>
    /// <param name="tokenHash">The SHA-256 (hex) of any token of the family.</param>
    /// <param name="cancellationToken">Cancels the revocation.</param>
    /// <returns><see langword="true"/> when the token was known.</returns>
    /// <exception cref="ArgumentException"><paramref name="tokenHash"/> is null or empty.</exception>
    Task<bool> RevokeFamilyAsync(string tokenHash, CancellationToken cancellationToken = default);
}
