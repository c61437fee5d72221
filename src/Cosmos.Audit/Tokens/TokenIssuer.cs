using System.Buffers.Text;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cosmos.Audit.Tokens;

/// <summary>Issues HS256 access tokens and single-use refresh tokens, rotating the refresh token on every use.</summary>
/// <remarks>
/// <para>Access tokens (default 15 minutes) carry <c>user_id</c>, <c>name</c>, <c>role</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>,
/// <c>iss</c>, <c>aud</c>, <c>jti</c> and the service/delegation claims, signed with the active key of the key ring (its
/// id in <c>kid</c>). Refresh tokens are 256 random bits, kept in the <see cref="IRefreshTokenStore"/> only as their SHA-256.</para>
/// <para>Each refresh returns a new pair and marks the presented refresh token used. Presenting a used token again means
/// a copy was stolen, so the whole token family (every token descended from the same sign-in) is revoked. Each refresh token
/// lives <see cref="Identity.AuditJwtOptions.RefreshTokenLifetime"/> (default 7 days), but never past its family's absolute
/// lifetime, <see cref="RefreshTokenOptions.AbsoluteLifetime"/> from sign-in (default 7 days): rotation does not extend it.</para>
/// <para>The store decides (default <see cref="InMemoryRefreshTokenStore"/>: one process, lost on restart); with a shared store,
/// several hosts honour the same tokens and two hosts receiving the same token at once still let exactly one win.</para>
/// </remarks>
public sealed class TokenIssuer
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials;
    private readonly AuditJwtOptions _jwt;
    private readonly TimeSpan _familyLifetime;
    private readonly IRefreshTokenStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly IdentityMetrics _metrics;
    private readonly ILogger _logger;

    /// <summary>Creates an issuer from the identity options.</summary>
    /// <param name="options">The options (keys, <see cref="CosmosAuditOptions.Jwt"/>, <see cref="CosmosAuditOptions.RefreshTokens"/>).</param>
    /// <param name="timeProvider">The clock for issue and expiry times.</param>
    /// <param name="loggerFactory">Creates the logger; optional.</param>
    /// <param name="meterFactory">Creates the <c>Cosmos.Audit</c> meter; optional.</param>
    /// <param name="refreshTokens">Where refresh tokens are kept; a new <see cref="InMemoryRefreshTokenStore"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The key ring is empty or invalid.</exception>
    public TokenIssuer(
        IOptions<CosmosAuditOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null,
        IRefreshTokenStore? refreshTokens = null)
        : this(new AuditKeyRing(options), options, timeProvider, new IdentityMetrics(meterFactory), loggerFactory?.CreateLogger<TokenIssuer>(), refreshTokens)
    {
    }

    internal TokenIssuer(
        AuditKeyRing keys,
        IOptions<CosmosAuditOptions> options,
        TimeProvider timeProvider,
        IdentityMetrics metrics,
        ILogger? logger,
        IRefreshTokenStore? refreshTokens = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _jwt = options.Value.Jwt;
        _familyLifetime = options.Value.RefreshTokens.AbsoluteLifetime;
        _store = refreshTokens ?? new InMemoryRefreshTokenStore();
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger ?? NullLogger.Instance;
        _credentials = new SigningCredentials(
            new SymmetricSecurityKey(keys.ActiveTokenKey) { KeyId = keys.ActiveKeyId },
            SecurityAlgorithms.HmacSha256);
    }

    /// <summary>Issues a new access token and a new refresh token family for <paramref name="user"/> (a sign-in).</summary>
    /// <param name="user">The authenticated user.</param>
    /// <param name="cancellationToken">Cancels storing the refresh token.</param>
    /// <returns>The token pair.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> is <see langword="null"/>.</exception>
    public async Task<TokenPair> IssueAsync(UserContext user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = _timeProvider.GetUtcNow();
        var familyExpiresAt = now + _familyLifetime;
        var refreshExpiresAt = Min(now + _jwt.RefreshTokenLifetime, familyExpiresAt);
        var refreshToken = NewSecret();
        await _store.AddFamilyAsync(new RefreshTokenGrant(Hash(refreshToken), NewSecret(), user, refreshExpiresAt, familyExpiresAt), cancellationToken)
            .ConfigureAwait(false);
        return CreatePair(user, now, refreshToken, refreshExpiresAt);
    }

    /// <summary>Exchanges a refresh token for a new pair; the presented token can never be used again.</summary>
    /// <param name="refreshToken">The refresh token from a previous <see cref="TokenPair"/>.</param>
    /// <param name="cancellationToken">Cancels the exchange; the presented token may already be used up if it fires late.</param>
    /// <returns>The new pair, or why the refresh was refused.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="refreshToken"/> is <see langword="null"/>.</exception>
    public async Task<RefreshResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refreshToken);
        var now = _timeProvider.GetUtcNow();
        var replacement = NewSecret();
        var rotation = await _store.RotateAsync(Hash(refreshToken), Hash(replacement), now, _jwt.RefreshTokenLifetime, cancellationToken)
            .ConfigureAwait(false);
        if (rotation.Failure == RefreshFailureReason.Reused)
        {
            _metrics.RefreshReuseDetected();
            IdentityLog.RefreshTokenReuseDetected(_logger, rotation.User!.UserId);
        }

        return rotation is { Succeeded: true, User: { } user, ReplacementExpiresAt: { } expiresAt }
            ? RefreshResult.Success(CreatePair(user, now, replacement, expiresAt))
            : RefreshResult.Failed(rotation.Failure);
    }

    /// <summary>Revokes the family of a refresh token (sign-out): it and every token rotated from the same sign-in stop working.</summary>
    /// <param name="refreshToken">Any refresh token of the family.</param>
    /// <param name="cancellationToken">Cancels the revocation.</param>
    /// <returns><see langword="true"/> when the token was known.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="refreshToken"/> is <see langword="null"/>.</exception>
    public Task<bool> RevokeAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refreshToken);
        return _store.RevokeFamilyAsync(Hash(refreshToken), cancellationToken);
    }

    private TokenPair CreatePair(UserContext user, DateTimeOffset now, string refreshToken, DateTimeOffset refreshExpiresAt)
    {
        var accessExpires = now + _jwt.AccessTokenLifetime;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["user_id"] = user.UserId,
            ["name"] = user.Username,
            ["jti"] = NewSecret(),
        };
        if (user.Roles.Count > 0)
        {
            claims["role"] = user.Roles.ToArray();
        }

        if (user.IsServiceAccount)
        {
            claims["service_account"] = true;
        }

        if (user.Delegation is { } delegation)
        {
            claims["on_behalf_of"] = delegation.OnBehalfOf;
            if (delegation.Reason is { } reason)
            {
                claims["delegation_reason"] = reason;
            }
        }

        var accessToken = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _jwt.Issuer,
            Audience = _jwt.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = accessExpires.UtcDateTime,
            Claims = claims,
            SigningCredentials = _credentials,
        });

        return new TokenPair(accessToken, accessExpires, refreshToken, refreshExpiresAt);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    private static string NewSecret()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    private static string Hash(string token)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token), hash);
        return Convert.ToHexString(hash);
    }
}
