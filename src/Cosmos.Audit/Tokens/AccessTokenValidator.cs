using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
/// <para>Successful results are cached in a size-bounded <see cref="MemoryCache"/> for at most
/// min(<see cref="AuditJwtOptions.ValidationCacheDuration"/>, the token's <c>exp</c>). The entry is found by the token's
/// signature segment (the text after its last <c>.</c>), which the cache's dictionary hashes with a fast non-cryptographic
/// string hash; the entry holds the whole token and a hit requires the presented token to equal it exactly (ordinal), so a
/// hit only ever answers for the very token that passed full validation. A hit also re-checks the entry's end
/// (min(cache duration, <c>exp</c>)) against the clock, so the cache never accepts a token past its expiry. The cost of
/// this choice: cached tokens are held in memory for the life of their entry.</para>
/// </remarks>
public sealed partial class AccessTokenValidator : IDisposable
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
    private readonly FrozenDictionary<string, SecurityKey[]> _hmacKeyById;
    private readonly FrozenDictionary<string, SecurityKey[]> _rsaKeyById;
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

        // The resolver runs on every validation: its one-key answers are built here once instead of per call.
        _hmacKeyById = _hmacKeys.ToFrozenDictionary(pair => pair.Key, pair => new[] { pair.Value }, StringComparer.Ordinal);
        _rsaKeyById = _rsaKeys.ToFrozenDictionary(pair => pair.Key, pair => new[] { pair.Value }, StringComparer.Ordinal);
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
                Clock = new RecordingClock(timeProvider),
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
        return Validate(token, token, cancellationToken);
    }

    /// <summary>Validates a bearer token given as characters (for example a slice of an <c>Authorization</c> header, without the
    /// <c>Bearer </c> prefix) and returns the user it names, or why it was rejected. A validation cache hit copies nothing; only a
    /// token that must be validated in full is copied to a string.</summary>
    /// <param name="token">The compact JWT.</param>
    /// <param name="cancellationToken">Cancels the validation.</param>
    /// <returns>The result; <see cref="AccessTokenValidationResult.User"/> is set only when the token is valid.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public ValueTask<AccessTokenValidationResult> ValidateAsync(ReadOnlySpan<char> token, CancellationToken cancellationToken = default) =>
        Validate(token, tokenText: null, cancellationToken);

    private ValueTask<AccessTokenValidationResult> Validate(ReadOnlySpan<char> token, string? tokenText, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (token.Length > _maxTokenSize)
        {
            return new(Reject(TokenFailureReason.TooLarge));
        }

        // A hit is an exact match of a token that passed full validation, so it is checked before the ASCII scan.
        if (_cache is not null && TryGetCached(token) is { } hit)
        {
            _metrics.TokenValidated("valid", cacheHit: true);
            return new(hit);
        }

        if (token.IsEmpty || !Ascii.IsValid(token))
        {
            return new(Reject(TokenFailureReason.Malformed));
        }

        return ValidateUncachedAsync(tokenText ?? token.ToString());
    }

    internal int CachedCount => _cache?.Count ?? 0;

    /// <summary>Releases the validation cache.</summary>
    public void Dispose() => _cache?.Dispose();

    private AccessTokenValidationResult? TryGetCached(ReadOnlySpan<char> token)
    {
        var dot = token.LastIndexOf('.');
        RecordingClock.Forget();
        if (dot < 0
            || !_cache!.TryGetValue(token[(dot + 1)..], out var value)
            || value is not CachedValidation cached
            || !token.SequenceEqual(cached.Token))
        {
            // Another token with the same signature segment is not this token: it is validated in full, the entry stays.
            return null;
        }

        // MemoryCache expires the entry on the same clock, but may still hand out an entry being replaced: the entry's own
        // end (never after exp) is checked against the clock. The reading MemoryCache took during this very lookup is
        // reused (a clock read is a third of a hit); if it took none, the clock is read here.
        var nowTicks = RecordingClock.LastUtcTicks;
        if (nowTicks == RecordingClock.NotRead)
        {
            nowTicks = _timeProvider.GetUtcNow().UtcTicks;
        }

        if (nowTicks < cached.UntilUtcTicks)
        {
            return cached.Result;
        }

        _cache.Remove(cached.Key);
        return null;
    }

    private async ValueTask<AccessTokenValidationResult> ValidateUncachedAsync(string token)
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
                // A validated JWS always has three segments; the signature segment is the lookup key (see the class remarks).
                var key = token[(token.LastIndexOf('.') + 1)..];
                using var entry = _cache.CreateEntry(key);
                entry.Value = new CachedValidation(token, key, AccessTokenValidationResult.Valid(user, expiresAt, fromCache: true), until.UtcTicks);
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

        // Presence is a dictionary lookup on the parsed header; the rare token that carries crit is then read in full.
        if (jwt.TryGetHeaderValue<object>(CriticalHeader.Name, out _))
        {
            return CriticalHeader.Check(jwt.EncodedHeader);
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

        if (string.IsNullOrEmpty(kid))
        {
            return hmac ? _hmacKeyList : _rsaKeyList;
        }

        return (hmac ? _hmacKeyById : _rsaKeyById).TryGetValue(kid, out var keys) ? keys : [];
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
        var roles = ReadRoles(jwt);

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

    // Reads roles straight from the payload. Building jwt.Claims creates a Claim per payload value and probes every string
    // for a date, which costs more than the rest of the mapping; it is only used for the shapes the fast path does not
    // cover (several role claims present, values that are not strings), so the result is the same in every case.
    private List<string>? ReadRoles(JsonWebToken jwt)
    {
        var names = _claims.Roles;
        if (names.Count == 0)
        {
            return null;
        }

        object? found = null;
        var present = 0;
        foreach (var name in names)
        {
            if (jwt.TryGetPayloadValue<object>(name, out var value))
            {
                found = value;
                present++;
            }
        }

        if (present == 0)
        {
            return null;
        }

        if (present > 1)
        {
            return ReadRolesFromClaims(jwt);
        }

        switch (found)
        {
            case null:
                return null;
            case string single:
                return single.Length == 0 ? null : [single];
            // JsonWebToken keeps a JSON array claim as a JsonElement: reading it here is what keeps the common
            // "role": ["editor"] shape off the jwt.Claims path, which would build a Claim for every payload value.
            case JsonElement { ValueKind: JsonValueKind.String } text:
                return text.GetString() is { Length: > 0 } one ? [one] : null;
            case JsonElement { ValueKind: JsonValueKind.Array } array when AllStrings(array):
                List<string>? fromArray = null;
                foreach (var item in array.EnumerateArray())
                {
                    var role = item.GetString()!;
                    if (role.Length > 0 && !(fromArray ??= []).Contains(role))
                    {
                        fromArray.Add(role);
                    }
                }

                return fromArray;
            case System.Collections.IList list when AllStrings(list):
                List<string>? roles = null;
                foreach (string role in list)
                {
                    if (role.Length > 0 && !(roles ??= []).Contains(role))
                    {
                        roles.Add(role);
                    }
                }

                return roles;
            default:
                return ReadRolesFromClaims(jwt);
        }
    }

    private List<string>? ReadRolesFromClaims(JsonWebToken jwt)
    {
        List<string>? roles = null;
        foreach (var claim in jwt.Claims)
        {
            if (_claims.Roles.Contains(claim.Type) && !string.IsNullOrEmpty(claim.Value) && !(roles ??= []).Contains(claim.Value))
            {
                roles.Add(claim.Value);
            }
        }

        return roles;
    }

    private static bool AllStrings(JsonElement array)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllStrings(System.Collections.IList list)
    {
        foreach (var item in list)
        {
            if (item is not string)
            {
                return false;
            }
        }

        return true;
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
        _metrics.TokenValidated(reason.ToErrorCode(), cacheHit: false);
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

    private static SecurityKey CreateRsaKey(RsaPublicKeyOptions options)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(options.PublicKeyPem);
        return new RsaSecurityKey(rsa) { KeyId = options.Id };
    }

    // Lets MemoryCache expire entries on the injected TimeProvider and remembers, per thread, the last reading it handed
    // out, so that a cache hit can check its entry against the reading MemoryCache took during the same lookup.
    private sealed class RecordingClock(TimeProvider timeProvider) : Microsoft.Extensions.Internal.ISystemClock
    {
        public const long NotRead = long.MinValue;

        [ThreadStatic]
        private static long t_lastUtcTicks;

        public static long LastUtcTicks => t_lastUtcTicks;

        public DateTimeOffset UtcNow
        {
            get
            {
                var now = timeProvider.GetUtcNow();
                t_lastUtcTicks = now.UtcTicks;
                return now;
            }
        }

        public static void Forget() => t_lastUtcTicks = NotRead;
    }

    // The hit result is built once when cached: results are immutable, so a hit allocates nothing. The whole token is kept
    // so that a hit is an exact match, never a match of the lookup key alone.
    private sealed class CachedValidation(string token, string key, AccessTokenValidationResult result, long untilUtcTicks)
    {
        public string Token { get; } = token;

        public string Key { get; } = key;

        public AccessTokenValidationResult Result { get; } = result;

        // min(now + cache duration, exp) at insertion, in UTC ticks.
        public long UntilUtcTicks { get; } = untilUtcTicks;
    }
}
