using System.Buffers.Text;
using System.Collections.Concurrent;
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
/// id in <c>kid</c>). Refresh tokens (default 7 days) are 256 random bits, kept here only as their SHA-256.</para>
/// <para>Each refresh returns a new pair and marks the presented refresh token used. Presenting a used token again means
/// a copy was stolen, so the whole token family (every token descended from the same sign-in) is revoked.
/// The refresh token store is in memory: refresh tokens do not survive a restart and are not shared between processes.</para>
/// </remarks>
public sealed class TokenIssuer
{
    private const int PruneEvery = 1024;

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials;
    private readonly AuditJwtOptions _jwt;
    private readonly TimeProvider _timeProvider;
    private readonly IdentityMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RefreshEntry> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revokedFamilies = new(StringComparer.Ordinal);
    private int _operations;

    /// <summary>Creates an issuer from the identity options.</summary>
    /// <param name="options">The options (keys, <see cref="CosmosAuditOptions.Jwt"/>).</param>
    /// <param name="timeProvider">The clock for issue and expiry times.</param>
    /// <param name="loggerFactory">Creates the logger; optional.</param>
    /// <param name="meterFactory">Creates the <c>Cosmos.Audit</c> meter; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The key ring is empty or invalid.</exception>
    public TokenIssuer(IOptions<CosmosAuditOptions> options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
        : this(new AuditKeyRing(options), options, timeProvider, new IdentityMetrics(meterFactory), loggerFactory?.CreateLogger<TokenIssuer>())
    {
    }

    internal TokenIssuer(AuditKeyRing keys, IOptions<CosmosAuditOptions> options, TimeProvider timeProvider, IdentityMetrics metrics, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _jwt = options.Value.Jwt;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger ?? NullLogger.Instance;
        _credentials = new SigningCredentials(
            new SymmetricSecurityKey(keys.ActiveTokenKey) { KeyId = keys.ActiveKeyId },
            SecurityAlgorithms.HmacSha256);
    }

    /// <summary>Issues a new access token and a new refresh token family for <paramref name="user"/> (a sign-in).</summary>
    /// <param name="user">The authenticated user.</param>
    /// <returns>The token pair.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> is <see langword="null"/>.</exception>
    public TokenPair Issue(UserContext user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return IssuePair(user, NewSecret());
    }

    /// <summary>Exchanges a refresh token for a new pair; the presented token can never be used again.</summary>
    /// <param name="refreshToken">The refresh token from a previous <see cref="TokenPair"/>.</param>
    /// <returns>The new pair, or why the refresh was refused.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="refreshToken"/> is <see langword="null"/>.</exception>
    public RefreshResult Refresh(string refreshToken)
    {
        ArgumentNullException.ThrowIfNull(refreshToken);
        PruneOccasionally();
        var hash = Hash(refreshToken);
        if (!_refreshTokens.TryGetValue(hash, out var entry))
        {
            return RefreshResult.Failed(RefreshFailureReason.Unknown);
        }

        if (_revokedFamilies.ContainsKey(entry.Family))
        {
            return RefreshResult.Failed(RefreshFailureReason.Revoked);
        }

        if (_timeProvider.GetUtcNow() >= entry.ExpiresAt)
        {
            return RefreshResult.Failed(RefreshFailureReason.Expired);
        }

        // Compare-and-swap: of two concurrent refreshes with the same token exactly one wins; the other is a reuse.
        if (entry.Used || !_refreshTokens.TryUpdate(hash, entry with { Used = true }, entry))
        {
            RevokeFamily(entry.Family);
            _metrics.RefreshReuseDetected();
            IdentityLog.RefreshTokenReuseDetected(_logger, entry.User.UserId);
            return RefreshResult.Failed(RefreshFailureReason.Reused);
        }

        return RefreshResult.Success(IssuePair(entry.User, entry.Family));
    }

    /// <summary>Revokes the family of a refresh token (sign-out): it and every token rotated from the same sign-in stop working.</summary>
    /// <param name="refreshToken">Any refresh token of the family.</param>
    /// <returns><see langword="true"/> when the token was known.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="refreshToken"/> is <see langword="null"/>.</exception>
    public bool Revoke(string refreshToken)
    {
        ArgumentNullException.ThrowIfNull(refreshToken);
        if (!_refreshTokens.TryGetValue(Hash(refreshToken), out var entry))
        {
            return false;
        }

        RevokeFamily(entry.Family);
        return true;
    }

    // Every token of the family was issued before now, so none outlives now + the refresh lifetime; the marker may go then.
    private void RevokeFamily(string family) =>
        _revokedFamilies[family] = _timeProvider.GetUtcNow() + _jwt.RefreshTokenLifetime;

    private TokenPair IssuePair(UserContext user, string family)
    {
        var now = _timeProvider.GetUtcNow();
        var accessExpires = now + _jwt.AccessTokenLifetime;
        var refreshExpires = now + _jwt.RefreshTokenLifetime;
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

        var refreshToken = NewSecret();
        _refreshTokens[Hash(refreshToken)] = new RefreshEntry(user, family, refreshExpires, Used: false);
        return new TokenPair(accessToken, accessExpires, refreshToken, refreshExpires);
    }

    private void PruneOccasionally()
    {
        if (Interlocked.Increment(ref _operations) % PruneEvery != 0)
        {
            return;
        }

        var now = _timeProvider.GetUtcNow();
        foreach (var (hash, entry) in _refreshTokens)
        {
            if (now >= entry.ExpiresAt)
            {
                _refreshTokens.TryRemove(hash, out _);
            }
        }

        foreach (var (family, expiresAt) in _revokedFamilies)
        {
            if (now >= expiresAt)
            {
                _revokedFamilies.TryRemove(family, out _);
            }
        }
    }

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

    private sealed record RefreshEntry(UserContext User, string Family, DateTimeOffset ExpiresAt, bool Used);
}
