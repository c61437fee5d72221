using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Tokens;
using Cosmos.TestUtils;
using Microsoft.Extensions.Time.Testing;

namespace Cosmos.Audit.Tests.Tokens;

public sealed class AccessTokenValidatorTests : IDisposable
{
    private static readonly RSA Rsa = RSA.Create(2048);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly Cosmos.Audit.CosmosAuditOptions _options;
    private readonly byte[] _hmacKey;
    private readonly AccessTokenValidator _validator;

    public AccessTokenValidatorTests()
    {
        _options = IdentityTestOptions.Create(o =>
        {
            o.Jwt.ValidAlgorithms = ["HS256", "RS256"];
            o.Jwt.RsaPublicKeys = [new RsaPublicKeyOptions { Id = "rsa-1", PublicKeyPem = Rsa.ExportSubjectPublicKeyInfoPem() }];
            o.Jwt.ClockSkew = TimeSpan.Zero;
        });
        var wrapped = Microsoft.Extensions.Options.Options.Create(_options);
        _hmacKey = new AuditKeyRing(wrapped).ActiveTokenKey;
        _validator = new AccessTokenValidator(wrapped, _time);
    }

    public void Dispose() => _validator.Dispose();

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private JsonObject Payload(Action<JsonObject>? change = null)
    {
        var payload = new JsonObject
        {
            ["iss"] = IdentityTestOptions.Issuer,
            ["aud"] = IdentityTestOptions.Audience,
            ["user_id"] = "alice123",
            ["name"] = "alice.smith",
            ["role"] = "editor",
            ["iat"] = Now,
            ["nbf"] = Now,
            ["exp"] = Now + 900,
        };
        change?.Invoke(payload);
        return payload;
    }

    private static string Encode(JsonNode node) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(node.ToJsonString()));

    private static string Hs256(JsonObject header, JsonObject payload, byte[] key)
    {
        var signingInput = Encode(header) + "." + Encode(payload);
        return signingInput + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signingInput)));
    }

    private string Valid(Action<JsonObject>? change = null) => Hs256(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = "k1" }, Payload(change), _hmacKey);

    private async Task<TokenFailureReason> Reason(string token) => (await _validator.ValidateAsync(token)).Failure;

    [Fact]
    public async Task ValidateAsync_ValidSeedToken_ReturnsUser()
    {
        var result = await _validator.ValidateAsync(Valid());

        Assert.True(result.IsValid, result.Failure.ToString());
        Assert.Equal("alice123", result.User!.UserId);
        Assert.Equal("alice.smith", result.User.Username);
        Assert.Equal(["editor"], result.User.Roles);
        Assert.Equal(_time.GetUtcNow().AddSeconds(900), result.ExpiresAt);
        Assert.False(result.FromCache);
    }

    [Fact]
    public async Task ValidateAsync_StandardClaims_MappedToUser()
    {
        var token = Valid(p =>
        {
            p.Remove("user_id");
            p.Remove("role");
            p["sub"] = "u-42";
            p["name"] = "Zoë";
            p["roles"] = new JsonArray("admin", "auditor");
            p["service_account"] = true;
            p["on_behalf_of"] = "john.doe";
            p["delegation_reason"] = "scheduled import";
        });

        var user = (await _validator.ValidateAsync(token)).User!;

        Assert.Equal("u-42", user.UserId);
        Assert.Equal("Zoë", user.Username);
        Assert.Equal(["admin", "auditor"], user.Roles);
        Assert.True(user.IsServiceAccount);
        Assert.Equal(new Cosmos.Audit.Users.Delegation("john.doe", "scheduled import"), user.Delegation);
    }

    [Fact]
    public async Task ValidateAsync_CustomClaimMapping_IsHonoured()
    {
        _options.Jwt.Claims = new JwtClaimMapping { UserId = ["oid"], Username = ["upn"], Roles = ["groups"] };
        using var validator = new AccessTokenValidator(Microsoft.Extensions.Options.Options.Create(_options), _time);
        var token = Valid(p =>
        {
            p["oid"] = "o-1";
            p["upn"] = "carol@example.test";
            p["groups"] = new JsonArray("g1");
        });

        var user = (await validator.ValidateAsync(token)).User!;

        Assert.Equal(("o-1", "carol@example.test"), (user.UserId, user.Username));
        Assert.Equal(["g1"], user.Roles);
    }

    [Fact]
    public async Task ValidateAsync_Rs256WithConfiguredPublicKey_IsAccepted()
    {
        var signingInput = Encode(new JsonObject { ["alg"] = "RS256", ["kid"] = "rsa-1" }) + "." + Encode(Payload());
        var signature = Rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var result = await _validator.ValidateAsync(signingInput + "." + Base64Url.EncodeToString(signature));

        Assert.True(result.IsValid, result.Failure.ToString());
    }

    [Fact]
    public async Task Attack_AlgNone_RejectedAsNoneAlgorithm()
    {
        var token = Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + "." + Encode(Payload()) + ".";

        Assert.Equal(TokenFailureReason.NoneAlgorithm, await Reason(token));
    }

    [Fact]
    public async Task Attack_Hs256SignedWithRsaPublicKey_RejectedAsKeyAlgorithmMismatch()
    {
        var publicKeyAsSecret = Encoding.UTF8.GetBytes(Rsa.ExportSubjectPublicKeyInfoPem());
        var token = Hs256(new JsonObject { ["alg"] = "HS256", ["kid"] = "rsa-1" }, Payload(), publicKeyAsSecret);

        Assert.Equal(TokenFailureReason.KeyAlgorithmMismatch, await Reason(token));
    }

    [Fact]
    public async Task Attack_Hs256SignedWithRsaPublicKeyWithoutKid_RejectedAsInvalidSignature()
    {
        var publicKeyAsSecret = Rsa.ExportSubjectPublicKeyInfo();
        var token = Hs256(new JsonObject { ["alg"] = "HS256" }, Payload(), publicKeyAsSecret);

        Assert.Equal(TokenFailureReason.InvalidSignature, await Reason(token));
    }

    [Fact]
    public async Task Attack_Expired_RejectedAsExpired()
    {
        var token = Valid();
        _time.Advance(TimeSpan.FromSeconds(901));

        Assert.Equal(TokenFailureReason.Expired, await Reason(token));
    }

    [Fact]
    public async Task Attack_ExpiredWithinClockSkew_Accepted()
    {
        _options.Jwt.ClockSkew = TimeSpan.FromMinutes(1);
        using var validator = new AccessTokenValidator(Microsoft.Extensions.Options.Options.Create(_options), _time);
        var token = Valid();
        _time.Advance(TimeSpan.FromSeconds(930));

        Assert.True((await validator.ValidateAsync(token)).IsValid);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(TokenFailureReason.Expired, (await validator.ValidateAsync(token)).Failure);
    }

    [Fact]
    public async Task Attack_NotBeforeInFuture_RejectedAsNotYetValid()
    {
        Assert.Equal(TokenFailureReason.NotYetValid, await Reason(Valid(p => p["nbf"] = Now + 600)));
    }

    [Fact]
    public async Task Attack_WrongIssuer_RejectedAsInvalidIssuer()
    {
        Assert.Equal(TokenFailureReason.InvalidIssuer, await Reason(Valid(p => p["iss"] = "https://evil.test")));
    }

    [Fact]
    public async Task Attack_WrongAudience_RejectedAsInvalidAudience()
    {
        Assert.Equal(TokenFailureReason.InvalidAudience, await Reason(Valid(p => p["aud"] = "another-api")));
    }

    [Fact]
    public async Task Attack_TamperedPayload_RejectedAsInvalidSignature()
    {
        var parts = Valid().Split('.');
        var token = parts[0] + "." + Encode(Payload(p => p["role"] = "admin")) + "." + parts[2];

        Assert.Equal(TokenFailureReason.InvalidSignature, await Reason(token));
    }

    [Fact]
    public async Task Attack_TamperedSignature_RejectedAsInvalidSignature()
    {
        var token = Valid();
        var flipped = token[^2] == 'A' ? 'B' : 'A';
        token = token[..^2] + flipped + token[^1];

        Assert.Equal(TokenFailureReason.InvalidSignature, await Reason(token));
    }

    [Fact]
    public async Task Attack_Oversized_RejectedAsTooLarge()
    {
        Assert.Equal(TokenFailureReason.TooLarge, await Reason(Valid(p => p["padding"] = new string('x', 9000))));
    }

    [Fact]
    public async Task Attack_MissingExp_RejectedAsMissingExpiry()
    {
        Assert.Equal(TokenFailureReason.MissingExpiry, await Reason(Valid(p => p.Remove("exp"))));
    }

    [Fact]
    public async Task Attack_UnknownKid_RejectedAsUnknownKey()
    {
        var token = Hs256(new JsonObject { ["alg"] = "HS256", ["kid"] = "k9" }, Payload(), _hmacKey);

        Assert.Equal(TokenFailureReason.UnknownKey, await Reason(token));
    }

    [Fact]
    public async Task Attack_AlgorithmNotPinned_RejectedAsAlgorithmNotAllowed()
    {
        var signingInput = Encode(new JsonObject { ["alg"] = "HS512", ["kid"] = "k1" }) + "." + Encode(Payload());
        var token = signingInput + "." + Base64Url.EncodeToString(HMACSHA512.HashData(_hmacKey, Encoding.ASCII.GetBytes(signingInput)));

        Assert.Equal(TokenFailureReason.AlgorithmNotAllowed, await Reason(token));
    }

    [Fact]
    public async Task Attack_NotBeforeAfterExpiry_RejectedAsInvalidLifetime()
    {
        Assert.Equal(TokenFailureReason.InvalidLifetime, await Reason(Valid(p => p["nbf"] = Now + 1000)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.é")]
    public async Task Attack_Garbage_RejectedAsMalformed(string token)
    {
        Assert.Equal(TokenFailureReason.Malformed, await Reason(token));
    }

    [Fact]
    public async Task ValidateAsync_NoUserIdClaim_RejectedAsMissingUserId()
    {
        Assert.Equal(TokenFailureReason.MissingUserId, await Reason(Valid(p => p.Remove("user_id"))));
    }

    [Fact]
    public async Task AttackSuite_EachAttackHasItsOwnReason()
    {
        var publicKeyAsSecret = Encoding.UTF8.GetBytes(Rsa.ExportSubjectPublicKeyInfoPem());
        var reasons = new[]
        {
            await Reason(Encode(new JsonObject { ["alg"] = "none" }) + "." + Encode(Payload()) + "."),
            await Reason(Hs256(new JsonObject { ["alg"] = "HS256", ["kid"] = "rsa-1" }, Payload(), publicKeyAsSecret)),
            await Reason(Valid(p => p["exp"] = Now - 1)),
            await Reason(Valid(p => p["nbf"] = Now + 60)),
            await Reason(Valid(p => p["iss"] = "x")),
            await Reason(Valid(p => p["aud"] = "x")),
            await Reason(Valid(p => p["padding"] = new string('x', 9000))),
            await Reason(Valid(p => p.Remove("exp"))),
            await Reason(Hs256(new JsonObject { ["alg"] = "HS256", ["kid"] = "k9" }, Payload(), _hmacKey)),
            await Reason(Valid()[..^3] + "AAA"),
        };

        Assert.DoesNotContain(TokenFailureReason.None, reasons);
        Assert.Equal(reasons.Length, reasons.Distinct().Count());
    }

    [Fact]
    public async Task Cache_SecondValidation_IsACacheHit()
    {
        var token = Valid();

        Assert.False((await _validator.ValidateAsync(token)).FromCache);
        var second = await _validator.ValidateAsync(token);

        Assert.True(second.IsValid);
        Assert.True(second.FromCache);
        Assert.Equal("alice123", second.User!.UserId);
    }

    [Fact]
    public async Task Cache_NeverAcceptsATokenPastItsExpiry()
    {
        var token = Valid(p => p["exp"] = Now + 120);
        Assert.True((await _validator.ValidateAsync(token)).IsValid);

        _time.Advance(TimeSpan.FromSeconds(119));
        Assert.True((await _validator.ValidateAsync(token)).FromCache);

        _time.Advance(TimeSpan.FromSeconds(2));
        var result = await _validator.ValidateAsync(token);
        Assert.False(result.IsValid);
        Assert.False(result.FromCache);
        Assert.Equal(TokenFailureReason.Expired, result.Failure);
    }

    [Fact]
    public async Task Cache_EntryExpiresAtExactExpiryInstant()
    {
        var token = Valid(p => p["exp"] = Now + 60);
        await _validator.ValidateAsync(token);

        _time.Advance(TimeSpan.FromSeconds(60));
        var result = await _validator.ValidateAsync(token);

        Assert.False(result.FromCache);
    }

    [Fact]
    public async Task Cache_EntryLivesAtMostFiveMinutes()
    {
        var token = Valid();
        await _validator.ValidateAsync(token);

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.True((await _validator.ValidateAsync(token)).FromCache);
        _time.Advance(TimeSpan.FromSeconds(2));
        var result = await _validator.ValidateAsync(token);

        Assert.True(result.IsValid);
        Assert.False(result.FromCache);
    }

    [Fact]
    public async Task Cache_TamperedTokenReusingACachedSignature_IsValidatedInFullAndLeavesTheEntry()
    {
        var token = Valid();
        Assert.True((await _validator.ValidateAsync(token)).IsValid);
        var parts = token.Split('.');
        var tampered = parts[0] + "." + Encode(Payload(p => p["role"] = "admin")) + "." + parts[2];

        var result = await _validator.ValidateAsync(tampered);

        Assert.False(result.FromCache);
        Assert.Equal(TokenFailureReason.InvalidSignature, result.Failure);
        Assert.True((await _validator.ValidateAsync(token)).FromCache);
    }

    [Fact]
    public async Task Cache_FailedValidations_AreNotCached()
    {
        var token = Valid(p => p["iss"] = "x");
        await _validator.ValidateAsync(token);

        Assert.Equal(0, _validator.CachedCount);
    }

    [Fact]
    public async Task Cache_IsSizeBounded()
    {
        _options.Jwt.ValidationCacheSize = 3;
        using var validator = new AccessTokenValidator(Microsoft.Extensions.Options.Options.Create(_options), _time);

        for (var i = 0; i < 20; i++)
        {
            Assert.True((await validator.ValidateAsync(Valid(p => p["seq"] = i))).IsValid);
        }

        Assert.InRange(validator.CachedCount, 1, 3);
    }

    [Fact]
    public async Task Cache_Disabled_NeverHits()
    {
        _options.Jwt.ValidationCacheDuration = TimeSpan.Zero;
        using var validator = new AccessTokenValidator(Microsoft.Extensions.Options.Options.Create(_options), _time);
        var token = Valid();

        await validator.ValidateAsync(token);

        Assert.False((await validator.ValidateAsync(token)).FromCache);
    }

    [Fact]
    public async Task ValidateAsync_SliceOfAHeader_HitsTheEntryOfTheSameToken()
    {
        var token = Valid();
        var header = "Bearer " + token + "  ";
        var first = await _validator.ValidateAsync(header.AsSpan(7, token.Length));

        var second = await _validator.ValidateAsync(header.AsSpan(7, token.Length));
        var asString = await _validator.ValidateAsync(token);

        Assert.True(first.IsValid);
        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.True(asString.FromCache);
        Assert.Equal("alice123", second.User!.UserId);
        Assert.Same(second, asString);
    }

    [Fact]
    public async Task ValidateAsync_SliceOfAnotherTokenWithTheSameSignature_IsValidatedInFull()
    {
        var token = Valid();
        Assert.True((await _validator.ValidateAsync(token)).IsValid);
        var parts = token.Split('.');
        var tampered = (parts[0] + "." + Encode(Payload(p => p["role"] = "admin")) + "." + parts[2]).ToCharArray();

        var result = await _validator.ValidateAsync(tampered.AsSpan());
        var prefixOnly = await _validator.ValidateAsync(token.AsSpan(0, token.Length - 1));

        Assert.False(result.FromCache);
        Assert.Equal(TokenFailureReason.InvalidSignature, result.Failure);
        Assert.False(prefixOnly.IsValid);
        Assert.False(prefixOnly.FromCache);
    }

    [Fact]
    public async Task ValidateAsync_SliceOfACachedTokenPastItsExpiry_IsRejectedAsExpired()
    {
        var token = Valid(p => p["exp"] = Now + 30);
        Assert.True((await _validator.ValidateAsync(token.AsSpan())).IsValid);
        Assert.True((await _validator.ValidateAsync(token.AsSpan())).FromCache);

        _time.Advance(TimeSpan.FromSeconds(31));
        var result = await _validator.ValidateAsync(token.AsSpan());

        Assert.False(result.IsValid);
        Assert.False(result.FromCache);
        Assert.Equal(TokenFailureReason.Expired, result.Failure);
    }

    [Fact]
    public async Task ValidateAsync_EmptyOrOversizedSlice_IsRejectedWithTheReason()
    {
        var empty = await _validator.ValidateAsync(ReadOnlySpan<char>.Empty);
        var oversized = await _validator.ValidateAsync(new string('a', _options.Jwt.MaxTokenSizeInBytes + 1).AsSpan());

        Assert.Equal(TokenFailureReason.Malformed, empty.Failure);
        Assert.Equal(TokenFailureReason.TooLarge, oversized.Failure);
    }
}
