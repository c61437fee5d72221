using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Cosmos.Audit.Tests.Tokens;

/// <summary>RFC 7515 §4.1.11: a JWS whose <c>crit</c> header lists parameters the recipient does not understand is rejected.</summary>
public sealed class AccessTokenValidatorCriticalHeaderTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly byte[] _key;
    private readonly AccessTokenValidator _validator;

    public AccessTokenValidatorCriticalHeaderTests()
    {
        var options = IdentityTestOptions.Wrap();
        _key = new AuditKeyRing(options).ActiveTokenKey;
        _validator = new AccessTokenValidator(options, _time);
    }

    public void Dispose() => _validator.Dispose();

    private string Payload()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = IdentityTestOptions.Issuer,
            ["aud"] = IdentityTestOptions.Audience,
            ["user_id"] = "alice123",
            ["iat"] = now,
            ["exp"] = now + 900,
        }.ToJsonString();
    }

    // Signs the header text exactly as given, so duplicate members and odd shapes reach the validator unchanged.
    private string Sign(string headerJson)
    {
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Payload()));
        return input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(input)));
    }

    private async Task<TokenFailureReason> Reason(string headerJson) => (await _validator.ValidateAsync(Sign(headerJson))).Failure;

    [Fact]
    public async Task ValidateAsync_NoCrit_IsAccepted()
    {
        Assert.Equal(TokenFailureReason.None, await Reason("""{"alg":"HS256","typ":"JWT","kid":"k1"}"""));
    }

    [Fact]
    public async Task ValidateAsync_CritListsUnknownExtension_RejectedAsUnsupported()
    {
        Assert.Equal(
            TokenFailureReason.UnsupportedCriticalHeader,
            await Reason("""{"alg":"HS256","kid":"k1","crit":["urn:x-unknown"],"urn:x-unknown":true}"""));
    }

    [Fact]
    public async Task ValidateAsync_CritListsSeveralExtensions_RejectedAsUnsupported()
    {
        Assert.Equal(
            TokenFailureReason.UnsupportedCriticalHeader,
            await Reason("""{"alg":"HS256","kid":"k1","crit":["exp","b64"],"exp":1,"b64":false}"""));
    }

    [Theory]
    [InlineData("""{"alg":"HS256","kid":"k1","crit":[]}""")]
    [InlineData("""{"alg":"HS256","kid":"k1","crit":"urn:x"}""")]
    [InlineData("""{"alg":"HS256","kid":"k1","crit":null}""")]
    [InlineData("""{"alg":"HS256","kid":"k1","crit":{"urn:x":true}}""")]
    [InlineData("""{"alg":"HS256","kid":"k1","crit":[1],"1":true}""")]
    [InlineData("""{"alg":"HS256","kid":"k1","crit":[""],"":true}""")]
    [InlineData("""{"alg":"HS256","kid":"k1","crit":["urn:x","urn:x"],"urn:x":true}""")]
    [InlineData("""{"alg":"HS256","kid":"k1","crit":["alg"]}""")]
    [InlineData("""{"alg":"HS256","kid":"k1","crit":["kid"]}""")]
    [InlineData("""{"alg":"HS256","kid":"k1","crit":["x5t#S256"],"x5t#S256":"a"}""")]
    [InlineData("""{"alg":"HS256","kid":"k1","crit":["urn:absent"]}""")]
    [InlineData("""{"alg":"HS256","kid":"k1","crit":["urn:x"],"urn:x":1,"crit":["urn:x"]}""")]
    public async Task ValidateAsync_MalformedCrit_RejectedAsMalformedCriticalHeader(string headerJson)
    {
        Assert.Equal(TokenFailureReason.MalformedCriticalHeader, await Reason(headerJson));
    }

    [Fact]
    public async Task ValidateAsync_CritWithValidSignature_IsNeverCached()
    {
        var token = Sign("""{"alg":"HS256","kid":"k1","crit":["urn:x"],"urn:x":1}""");

        await _validator.ValidateAsync(token);
        var again = await _validator.ValidateAsync(token);

        Assert.False(again.IsValid);
        Assert.Equal(0, _validator.CachedCount);
    }
}
