using Cosmos.Audit.Authors;
using Cosmos.Audit.Authorization;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Stamping;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Tests;

public sealed class IdentityOptionsValidationTests
{
    private static OptionsValidationException Fails(Action<CosmosAuditOptions> configure)
    {
        using var services = new ServiceCollection().AddCosmosAudit(o =>
        {
            var template = IdentityTestOptions.Create();
            o.SigningKeys = template.SigningKeys;
            o.Jwt = template.Jwt;
            configure(o);
        }).BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CosmosAuditOptions>>().Value);
    }

    [Fact]
    public void AddCosmosAudit_ValidOptions_ResolvesEveryIdentityService()
    {
        using var services = new ServiceCollection().AddCosmosAudit(o =>
        {
            var template = IdentityTestOptions.Create();
            o.SigningKeys = template.SigningKeys;
            o.Jwt = template.Jwt;
        }).BuildServiceProvider();

        Assert.NotNull(services.GetRequiredService<IUserContextAccessor>());
        Assert.NotNull(services.GetRequiredService<AuditStamper>());
        Assert.NotNull(services.GetRequiredService<AuthorStringSigner>());
        Assert.NotNull(services.GetRequiredService<AccessTokenValidator>());
        Assert.NotNull(services.GetRequiredService<TokenIssuer>());
        Assert.NotNull(services.GetRequiredService<IAuditAuthorizationService>());
    }

    [Fact]
    public async Task AddCosmosAudit_IssuedTokenValidatesThroughDi()
    {
        await using var services = new ServiceCollection().AddCosmosAudit(o =>
        {
            var template = IdentityTestOptions.Create();
            o.SigningKeys = template.SigningKeys;
            o.Jwt = template.Jwt;
        }).BuildServiceProvider();

        var pair = await services.GetRequiredService<TokenIssuer>().IssueAsync(new UserContext("u1", "ann"));
        var result = await services.GetRequiredService<AccessTokenValidator>().ValidateAsync(pair.AccessToken);

        Assert.True(result.IsValid, result.Failure.ToString());
    }

    [Fact]
    public void Validate_NoSigningKeys_NamesTheOption()
    {
        Assert.Contains("CosmosAuditOptions.SigningKeys", Fails(o => o.SigningKeys = []).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShortKey_NamesTheKey()
    {
        var ex = Fails(o => o.SigningKeys = [AuditSigningKey.FromBytes("k1", new byte[16])]);

        Assert.Contains("CosmosAuditOptions.SigningKeys[0].Secret", ex.Message, StringComparison.Ordinal);
        Assert.Contains("too short", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoIssuer_NamesTheOption()
    {
        Assert.Contains("CosmosAuditOptions.Jwt.Issuer", Fails(o => o.Jwt.Issuer = null).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoAudience_NamesTheOption()
    {
        Assert.Contains("CosmosAuditOptions.Jwt.Audience", Fails(o => o.Jwt.Audience = " ").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AlgorithmNone_NamesTheOption()
    {
        Assert.Contains("CosmosAuditOptions.Jwt.ValidAlgorithms", Fails(o => o.Jwt.ValidAlgorithms = ["none"]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RsaAlgorithmWithoutKeys_NamesTheOption()
    {
        Assert.Contains("RsaPublicKeys", Fails(o => o.Jwt.ValidAlgorithms = ["RS256"]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownActiveKey_NamesTheOption()
    {
        Assert.Contains("CosmosAuditOptions.ActiveSigningKeyId", Fails(o => o.ActiveSigningKeyId = "k7").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CacheLongerThanFiveMinutes_NamesTheOption()
    {
        Assert.Contains("ValidationCacheDuration", Fails(o => o.Jwt.ValidationCacheDuration = TimeSpan.FromMinutes(6)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DuplicateKeyIds_NamesTheOption()
    {
        var ex = Fails(o => o.SigningKeys = [AuditSigningKey.FromBytes("k1", IdentityTestOptions.Secret(1)), AuditSigningKey.FromBytes("k1", IdentityTestOptions.Secret(2))]);

        Assert.Contains("listed twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadClockSkew_NamesTheOption()
    {
        Assert.Contains("Jwt.ClockSkew", Fails(o => o.Jwt.ClockSkew = TimeSpan.FromHours(1)).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, Action<CosmosAuditOptions>> SingleFieldRules => new()
    {
        { "CosmosAuditOptions.Jwt.MaxTokenSizeInBytes", o => o.Jwt.MaxTokenSizeInBytes = 100 },
        { "CosmosAuditOptions.Jwt.AccessTokenLifetime", o => o.Jwt.AccessTokenLifetime = TimeSpan.Zero },
        { "CosmosAuditOptions.Jwt.ValidationCacheSize", o => o.Jwt.ValidationCacheSize = 0 },
        { "CosmosAuditOptions.Jwt.ValidationCacheDuration", o => o.Jwt.ValidationCacheDuration = TimeSpan.FromSeconds(-1) },
        { "CosmosAuditOptions.AuthorStringMaxAge", o => o.AuthorStringMaxAge = TimeSpan.FromMinutes(-5) },
        { "CosmosAuditOptions.SigningKeys[0].Id", o => o.SigningKeys = [AuditSigningKey.FromBytes("bad id!", IdentityTestOptions.Secret(1))] },
        { "CosmosAuditOptions.SigningKeys[0].Secret", o => o.SigningKeys = [new AuditSigningKey { Id = "k1", Secret = "" }] },
        { "CosmosAuditOptions.Jwt.RsaPublicKeys[0].Id", o => o.Jwt.RsaPublicKeys = [new RsaPublicKeyOptions { Id = "", PublicKeyPem = "x" }] },
        { "CosmosAuditOptions.Jwt.Claims.UserId", o => o.Jwt.Claims.UserId = [] },
        { "CosmosAuditOptions.Jwt.Claims", o => o.Jwt.Claims = null! },
        { "CosmosAuditOptions.RolePermissions", o => o.RolePermissions = null! },
    };

    [Theory]
    [MemberData(nameof(SingleFieldRules))]
    public void Validate_BadField_FailsAtStartNamingThePath(string path, Action<CosmosAuditOptions> configure)
    {
        Assert.Contains(path, Fails(configure).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OneBadField_IsReportedOnce()
    {
        var message = Fails(o => o.Jwt.Issuer = null).Message;

        Assert.Equal(message.IndexOf("Jwt.Issuer", StringComparison.Ordinal), message.LastIndexOf("Jwt.Issuer", StringComparison.Ordinal));
    }
}
