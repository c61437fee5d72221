using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Tokens;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Cosmos.Audit.Tests.Tokens;

/// <summary>Roles are read from the payload without building <c>jwt.Claims</c>; for every shape the answer must equal the
/// distinct non-empty values of the role claims as the claim set reports them.</summary>
public sealed class AccessTokenValidatorRoleShapeTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly byte[] _key;
    private readonly AccessTokenValidator _validator;

    public AccessTokenValidatorRoleShapeTests()
    {
        var options = IdentityTestOptions.Wrap(o => o.Jwt.ValidationCacheDuration = TimeSpan.Zero);
        _key = new AuditKeyRing(options).ActiveTokenKey;
        _validator = new AccessTokenValidator(options, _time);
    }

    public void Dispose() => _validator.Dispose();

    private string Sign(string rolesJson)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var payload = $$"""{"iss":"{{IdentityTestOptions.Issuer}}","aud":"{{IdentityTestOptions.Audience}}","user_id":"u1","exp":{{now + 900}}{{rolesJson}}}""";
        var input = Base64Url.EncodeToString("""{"alg":"HS256","kid":"k1"}"""u8) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        return input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(input)));
    }

    [Theory]
    [InlineData("", new string[0])]
    [InlineData(""","role":"editor" """, new[] { "editor" })]
    [InlineData(""","role":"" """, new string[0])]
    [InlineData(""","role":["editor"]""", new[] { "editor" })]
    [InlineData(""","role":["editor","admin","editor",""]""", new[] { "editor", "admin" })]
    [InlineData(""","role":[]""", new string[0])]
    [InlineData(""","roles":["a","b"]""", new[] { "a", "b" })]
    [InlineData(""","role":"x","roles":["y","x"]""", new[] { "x", "y" })]
    [InlineData(""","role":[1,"a"]""", new[] { "1", "a" })]
    [InlineData(""","role":true""", new[] { "true" })]
    public async Task ValidateAsync_RoleShapes_MatchTheClaimSet(string rolesJson, string[] expected)
    {
        var token = Sign(rolesJson);
        var fromClaims = new JsonWebToken(token).Claims
            .Where(c => c.Type is "role" or "roles" && c.Value.Length > 0)
            .Select(c => c.Value)
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        var result = await _validator.ValidateAsync(token);

        Assert.True(result.IsValid, result.Failure.ToString());
        Assert.Equal(expected, result.User!.Roles);
        Assert.Equal(fromClaims, result.User.Roles);
    }
}
