using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Users;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cosmos.Audit.Tokens;

/// <summary>Validates bearer JWTs with <see cref="JsonWebTokenHandler"/> and turns them into a <see cref="UserContext"/>.</summary>
/// <remarks>
/// <para>Algorithms are pinned to <see cref="AuditJwtOptions.ValidAlgorithms"/> (never <c>none</c>); HMAC algorithms are checked
/// only against the HMAC key ring and RSA algorithms only against the RSA public keys, so key confusion fails. Expiry is
/// required, issuer and audience are validated, oversized tokens are refused before parsing, and lifetime is checked
/// against the injected <see cref="TimeProvider"/> with <see cref="AuditJwtOptions.ClockSkew"/>.</para>
/// <para>Successful results are cached in a size-bounded <see cref="MemoryCache"/> keyed by the SHA-256 of the token, for at
/// most min(<see cref="AuditJwtOptions.ValidationCacheDuration"/>, the token's <c>exp</c>); a cache hit also re-checks
/// <c>exp</c> against the clock, so the cache never accepts a token past its expiry.</para>
/// </remarks>
public sealed class AccessTokenValidator : IDisposable
{
    private readonly JsonWebTokenHandler _handler;
    private readonly TokenValidationParameters _parameters;
    private readonly TimeProvider _timeProvider;
    private readonly MemoryCache? _cache;
    private readonly TimeSpan _cacheDuration;
    private readonly int _maxTokenSize;
    private readonly FrozenSet<string> _algorithms;
    private readonly FrozenDictionary<string, SecurityKey> _hmacKeys;
    private readonly FrozenDictionary<string, SecurityKey> _rsaKeys;
    private readonly SecurityKey[] _hmacKeyList;
    private readonly SecurityKey[] _rsaKeyList;
    private readonly JwtClaimMapping _claims;
    private readonly IdentityMetrics _metrics;
    private readonly ILogger _logger;

    /// <summary>Creates a validator from the identity options.</summary>
    /// <param name="options">The options (keys, <see cref="CosmosAuditOptions.Jwt"/>).</param>
    /// <param name="timeProvider">The clock for lifetime checks and the cache.</param>
    /// <param name="loggerFactory">Creates the logger; optional.</param>
    /// <param name="meterFactory">Creates the <c>Cosmos.Audit</c> meter; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The key ring is empty or invalid.</exception>
    public AccessTokenValidator(IOptions<CosmosAuditOptions> options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
        : this(new AuditKeyRing(options), options, timeProvider, new IdentityMetrics(meterFactory), loggerFactory?.CreateLogger<AccessTokenValidator>())
    {
    }

    internal AccessTokenValidator(AuditKeyRing keys, IOptions<CosmosAuditOptions> options, TimeProvider timeProvider, IdentityMetrics metrics, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var jwt = options.Value.Jwt;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger ?? NullLogger.Instance;
        _claims = jwt.Claims;
        _maxTokenSize = jwt.MaxTokenSizeInBytes;
        _algorithms = jwt.ValidAlgorithms.ToFrozenSet(StringComparer.Ordinal);
        _hmacKeys = keys.TokenKeys.ToFrozenDictionary(
            pair => pair.Key, pair => (SecurityKey)new SymmetricSecurityKey(pair.Value) { KeyId = pair.Key }, StringComparer.Ordinal);
        _rsaKeys = jwt.RsaPublicKeys.ToFrozenDictionary(key => key.Id, CreateRsaKey, StringComparer.Ordinal);
        _hmacKeyList = [.. _hmacKeys.Values];
        _rsaKeyList = [.. _rsaKeys.Values];
        _handler = new JsonWebTokenHandler { MaximumTokenSizeInBytes = jwt.MaxTokenSizeInBytes, MapInboundClaims = false };
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            RequireAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = jwt.ClockSkew,
            ValidAlgorithms = [.. jwt.ValidAlgorithms],
            IssuerSigningKeyResolver = ResolveKeys,
            LifetimeValidator = ValidateLifetime,
            ValidateTokenReplay = false,
        };
        _cacheDuration = jwt.ValidationCacheDuration;
        if (_cacheDuration > TimeSpan.Zero)
        {
            _cache = new MemoryCache(new MemoryCacheOptions
            {
                SizeLimit = jwt.ValidationCacheSize,
                Clock = new TimeProviderClock(timeProvider),
                CompactionPercentage = 0.1,
            });
        }
    }

    /// <summary>Validates a bearer token (without the <c>Bearer </c> prefix) and returns the user it names, or why it was rejected.</summary>
    /// <param name="token">The compact JWT.</param>
    /// <param name="cancellationToken">Cancels the validation.</param>
    /// <returns>The result; <see cref="AccessTokenValidationResult.User"/> is set only when the token is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public ValueTask<AccessTokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        cancellationToken.ThrowIfCancellationRequested();
        if (token.Length > _maxTokenSize)
        {
            return new(Reject(TokenFailureReason.TooLarge));
        }

        if (token.Length == 0 || !Ascii.IsValid(token))
        {
            return new(Reject(TokenFailureReason.Malformed));
        }

        TokenHash key = default;
        if (_cache is not null)
        {
            key = TokenHash.Of(token);
            if (_cache.TryGetValue(key, out CachedValidation? cached) && cached is not null)
            {
                // The cache entry already expires by exp, but the clock is re-read so that no hit is ever past exp.
                if (_timeProvider.GetUtcNow() < cached.ExpiresAt)
                {
                    _metrics.TokenValidated("valid", cacheHit: true);
                    return new(cached.Result);
                }

                _cache.Remove(key);
            }
        }

        return ValidateUncachedAsync(token, key);
    }

    internal int CachedCount => _cache?.Count ?? 0;

    /// <summary>Releases the validation cache.</summary>
    public void Dispose() => _cache?.Dispose();

    private async ValueTask<AccessTokenValidationResult> ValidateUncachedAsync(string token, TokenHash key)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return Reject(TokenFailureReason.Malformed);
        }

        if (jwt.IsEncrypted)
        {
            return Reject(TokenFailureReason.Malformed);
        }

        var headerFailure = CheckHeader(jwt);
        if (headerFailure != TokenFailureReason.None)
        {
            return Reject(headerFailure);
        }

        var result = await _handler.ValidateTokenAsync(jwt, _parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return Reject(MapFailure(result.Exception, jwt));
        }

        var user = CreateUser(jwt);
        if (user is null)
        {
            return Reject(TokenFailureReason.MissingUserId);
        }

        var expiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        if (_cache is not null)
        {
            var now = _timeProvider.GetUtcNow();
            var until = now + _cacheDuration;
            if (expiresAt < until)
            {
                until = expiresAt;
            }

            if (until > now)
            {
                using var entry = _cache.CreateEntry(key);
                entry.Value = new CachedValidation(AccessTokenValidationResult.Valid(user, expiresAt, fromCache: true), expiresAt);
                entry.AbsoluteExpiration = until;
                entry.Size = 1;
            }
        }

        _metrics.TokenValidated("valid", cacheHit: false);
        return AccessTokenValidationResult.Valid(user, expiresAt, fromCache: false);
    }

    private TokenFailureReason CheckHeader(JsonWebToken jwt)
    {
        var algorithm = jwt.Alg;
        if (string.IsNullOrEmpty(algorithm) || string.Equals(algorithm, SecurityAlgorithms.None, StringComparison.OrdinalIgnoreCase))
        {
            return TokenFailureReason.NoneAlgorithm;
        }

        if (!_algorithms.Contains(algorithm))
        {
            return TokenFailureReason.AlgorithmNotAllowed;
        }

        var keyId = jwt.Kid;
        if (string.IsNullOrEmpty(keyId))
        {
            return TokenFailureReason.None;
        }

        var hmac = IdentityOptionsValidator.IsHmac(algorithm);
        var ownFamily = hmac ? _hmacKeys : _rsaKeys;
        var otherFamily = hmac ? _rsaKeys : _hmacKeys;
        if (ownFamily.ContainsKey(keyId))
        {
            return TokenFailureReason.None;
        }

        return otherFamily.ContainsKey(keyId) ? TokenFailureReason.KeyAlgorithmMismatch : TokenFailureReason.UnknownKey;
    }

    // Only keys of the algorithm's own family are offered, so an RSA public key is never tried as an HMAC secret.
    private SecurityKey[] ResolveKeys(string token, SecurityToken securityToken, string kid, TokenValidationParameters parameters)
    {
        var algorithm = (securityToken as JsonWebToken)?.Alg ?? "";
        var hmac = IdentityOptionsValidator.IsHmac(algorithm);
        if (!hmac && !IdentityOptionsValidator.IsRsa(algorithm))
        {
            return [];
        }

        var family = hmac ? _hmacKeys : _rsaKeys;
        if (string.IsNullOrEmpty(kid))
        {
            return hmac ? _hmacKeyList : _rsaKeyList;
        }

        return family.TryGetValue(kid, out var key) ? [key] : [];
    }

    private TokenFailureReason MapFailure(Exception? exception, JsonWebToken jwt)
    {
        var reason = exception switch
        {
            SecurityTokenNoExpirationException => TokenFailureReason.MissingExpiry,
            SecurityTokenExpiredException => TokenFailureReason.Expired,
            SecurityTokenNotYetValidException => TokenFailureReason.NotYetValid,
            SecurityTokenInvalidLifetimeException => TokenFailureReason.InvalidLifetime,
            SecurityTokenInvalidIssuerException => TokenFailureReason.InvalidIssuer,
            SecurityTokenInvalidAudienceException => TokenFailureReason.InvalidAudience,
            SecurityTokenInvalidAlgorithmException => TokenFailureReason.AlgorithmNotAllowed,
            // Without a kid every key of the family was tried and none matched: the signature is wrong, not the key id.
            SecurityTokenSignatureKeyNotFoundException when string.IsNullOrEmpty(jwt.Kid) => TokenFailureReason.InvalidSignature,
            SecurityTokenSignatureKeyNotFoundException => TokenFailureReason.UnknownKey,
            SecurityTokenInvalidSignatureException => TokenFailureReason.InvalidSignature,
            SecurityTokenMalformedException or ArgumentException => TokenFailureReason.Malformed,
            _ => TokenFailureReason.None,
        };

        if (reason == TokenFailureReason.None)
        {
            IdentityLog.AccessTokenValidationError(_logger, exception?.GetType().Name ?? "none");
            reason = TokenFailureReason.Malformed;
        }

        return reason;
    }

    private UserContext? CreateUser(JsonWebToken jwt)
    {
        var userId = FirstString(jwt, _claims.UserId);
        if (string.IsNullOrEmpty(userId))
        {
            return null;
        }

        var username = FirstString(jwt, _claims.Username);
        List<string>? roles = null;
        if (_claims.Roles.Count > 0)
        {
            foreach (var claim in jwt.Claims)
            {
                if (_claims.Roles.Contains(claim.Type) && !string.IsNullOrEmpty(claim.Value) && !(roles ??= []).Contains(claim.Value))
                {
                    roles.Add(claim.Value);
                }
            }
        }

        Delegation? delegation = null;
        var onBehalfOf = jwt.TryGetPayloadValue<string>(_claims.OnBehalfOf, out var obo) ? obo : null;
        if (!string.IsNullOrEmpty(onBehalfOf))
        {
            var reason = jwt.TryGetPayloadValue<string>(_claims.DelegationReason, out var r) && !string.IsNullOrEmpty(r) ? r : null;
            delegation = new Delegation(onBehalfOf, reason);
        }

        return new UserContext(userId, string.IsNullOrEmpty(username) ? userId : username)
        {
            Roles = roles is null ? [] : roles.ToArray(),
            IsServiceAccount = jwt.TryGetPayloadValue<bool>(_claims.ServiceAccount, out var service) && service,
            Delegation = delegation,
        };
    }

    private static string? FirstString(JsonWebToken jwt, IList<string> claimNames)
    {
        foreach (var name in claimNames)
        {
            if (jwt.TryGetPayloadValue<string>(name, out var value) && !string.IsNullOrEmpty(value))
            {
                return value;
            }
        }

        return null;
    }

    private AccessTokenValidationResult Reject(TokenFailureReason reason)
    {
        _metrics.TokenValidated(ReasonName(reason), cacheHit: false);
        IdentityLog.AccessTokenRejected(_logger, reason);
        return AccessTokenValidationResult.Rejected(reason);
    }

    // Lifetime is judged on the injected clock (JsonWebTokenHandler would read the system clock); throwing the library's own
    // exception types keeps each failure distinct in the validation result.
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken securityToken, TokenValidationParameters parameters)
    {
        if (expires is not { } exp)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiration time.");
        }

        if (notBefore is { } nbf && nbf > exp)
        {
            throw new SecurityTokenInvalidLifetimeException("The token's not-before time is after its expiration time.") { NotBefore = nbf, Expires = exp };
        }

        var now = _timeProvider.GetUtcNow().UtcDateTime;
        if (notBefore is { } start && start > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = start };
        }

        if (exp < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = exp };
        }

        return true;
    }

    private static string ReasonName(TokenFailureReason reason) => reason switch
    {
        TokenFailureReason.Malformed => "malformed",
        TokenFailureReason.TooLarge => "too_large",
        TokenFailureReason.NoneAlgorithm => "unsigned",
        TokenFailureReason.AlgorithmNotAllowed => "algorithm_not_allowed",
        TokenFailureReason.KeyAlgorithmMismatch => "key_algorithm_mismatch",
        TokenFailureReason.UnknownKey => "unknown_key",
        TokenFailureReason.InvalidSignature => "invalid_signature",
        TokenFailureReason.MissingExpiry => "missing_expiry",
        TokenFailureReason.Expired => "expired",
        TokenFailureReason.NotYetValid => "not_yet_valid",
        TokenFailureReason.InvalidLifetime => "invalid_lifetime",
        TokenFailureReason.InvalidIssuer => "invalid_issuer",
        TokenFailureReason.InvalidAudience => "invalid_audience",
        TokenFailureReason.MissingUserId => "missing_user_id",
        _ => "valid",
    };

    private static SecurityKey CreateRsaKey(RsaPublicKeyOptions options)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(options.PublicKeyPem);
        return new RsaSecurityKey(rsa) { KeyId = options.Id };
    }

    // The hit result is built once when cached: results are immutable, so a hit allocates nothing but the boxed key.
    private sealed record CachedValidation(AccessTokenValidationResult Result, DateTimeOffset ExpiresAt);

    // SHA-256 of the token: the cache never holds the bearer secret itself, and a 256-bit key has no practical collisions.
    private readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D)
    {
        public static TokenHash Of(string token)
        {
            Span<byte> hash = stackalloc byte[32];
            var length = token.Length;
            byte[]? rented = null;
            var buffer = length <= 1024 ? stackalloc byte[length] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length));
            try
            {
                var written = Encoding.ASCII.GetBytes(token, buffer);
                SHA256.HashData(buffer[..written], hash);
            }
            finally
            {
                if (rented is not null)
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(rented);
                }
            }

            return new TokenHash(
                BitConverter.ToUInt64(hash),
                BitConverter.ToUInt64(hash[8..]),
                BitConverter.ToUInt64(hash[16..]),
                BitConverter.ToUInt64(hash[24..]));
        }
    }
}
