using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Cosmos.TestUtils;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Cosmos.Audit.Tests.Tokens;

public sealed class TokenIssuerTests : IDisposable
{
    private static readonly UserContext Alice = new("alice123", "alice.smith") { Roles = ["editor", "auditor"] };
    private readonly ManualTimeProvider _time = new();
    private readonly TokenIssuer _issuer;
    private readonly AccessTokenValidator _validator;

    public TokenIssuerTests()
    {
        var options = IdentityTestOptions.Wrap();
        _issuer = new TokenIssuer(options, _time);
        _validator = new AccessTokenValidator(options, _time);
    }

    public void Dispose() => _validator.Dispose();

    [Fact]
    public async Task Issue_AccessToken_CarriesSeedClaimsAndValidates()
    {
        var pair = _issuer.Issue(Alice);

        var jwt = new JsonWebToken(pair.AccessToken);
        Assert.Equal("HS256", jwt.Alg);
        Assert.Equal("k1", jwt.Kid);
        Assert.Equal("alice123", jwt.GetPayloadValue<string>("user_id"));
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds(), jwt.GetPayloadValue<long>("iat"));
        Assert.Equal(_time.GetUtcNow().AddMinutes(15), pair.AccessTokenExpiresAt);
        Assert.Equal(_time.GetUtcNow().AddDays(7), pair.RefreshTokenExpiresAt);
        var result = await _validator.ValidateAsync(pair.AccessToken);
        Assert.True(result.IsValid, result.Failure.ToString());
        Assert.Equal(Alice.Roles, result.User!.Roles);
        Assert.Equal("alice.smith", result.User.Username);
    }

    [Fact]
    public async Task Issue_AccessToken_ExpiresAfterFifteenMinutes()
    {
        var pair = _issuer.Issue(Alice);

        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(31));

        Assert.Equal(TokenFailureReason.Expired, (await _validator.ValidateAsync(pair.AccessToken)).Failure);
    }

    [Fact]
    public async Task Issue_ServiceAccountWithDelegation_RoundTripsThroughValidation()
    {
        var user = new UserContext("svc_etl", "etl-service") { IsServiceAccount = true, Delegation = new Delegation("john.doe", "import") };

        var validated = (await _validator.ValidateAsync(_issuer.Issue(user).AccessToken)).User!;

        Assert.True(validated.IsServiceAccount);
        Assert.Equal(user.Delegation, validated.Delegation);
    }

    [Fact]
    public void Refresh_RotatesTheRefreshToken()
    {
        var first = _issuer.Issue(Alice);
        _time.Advance(TimeSpan.FromMinutes(20));

        var refreshed = _issuer.Refresh(first.RefreshToken);

        Assert.True(refreshed.Succeeded);
        Assert.NotEqual(first.RefreshToken, refreshed.Tokens!.RefreshToken);
        Assert.NotEqual(first.AccessToken, refreshed.Tokens.AccessToken);
        Assert.Equal(_time.GetUtcNow().AddMinutes(15), refreshed.Tokens.AccessTokenExpiresAt);
        Assert.True(_issuer.Refresh(refreshed.Tokens.RefreshToken).Succeeded);
    }

    [Fact]
    public void Refresh_UsedTokenPresentedAgain_DetectsReuseAndRevokesTheFamily()
    {
        var first = _issuer.Issue(Alice);
        var second = _issuer.Refresh(first.RefreshToken).Tokens!;

        var replay = _issuer.Refresh(first.RefreshToken);

        Assert.Equal(RefreshFailureReason.Reused, replay.Failure);
        Assert.Null(replay.Tokens);
        Assert.Equal(RefreshFailureReason.Revoked, _issuer.Refresh(second.RefreshToken).Failure);
    }

    [Fact]
    public void Refresh_OtherFamilies_AreUnaffectedByReuse()
    {
        var stolen = _issuer.Issue(Alice);
        var otherDevice = _issuer.Issue(Alice);
        _issuer.Refresh(stolen.RefreshToken);
        _issuer.Refresh(stolen.RefreshToken);

        Assert.True(_issuer.Refresh(otherDevice.RefreshToken).Succeeded);
    }

    [Fact]
    public void Refresh_AfterSevenDays_IsExpired()
    {
        var pair = _issuer.Issue(Alice);

        _time.Advance(TimeSpan.FromDays(7));

        Assert.Equal(RefreshFailureReason.Expired, _issuer.Refresh(pair.RefreshToken).Failure);
    }

    [Fact]
    public void Refresh_UnknownToken_IsUnknown()
    {
        Assert.Equal(RefreshFailureReason.Unknown, _issuer.Refresh("not-issued-here").Failure);
    }

    [Fact]
    public void Revoke_SignOut_RevokesTheFamily()
    {
        var pair = _issuer.Issue(Alice);
        var next = _issuer.Refresh(pair.RefreshToken).Tokens!;

        Assert.True(_issuer.Revoke(pair.RefreshToken));

        Assert.Equal(RefreshFailureReason.Revoked, _issuer.Refresh(next.RefreshToken).Failure);
        Assert.False(_issuer.Revoke("unknown"));
    }

    [Fact]
    public async Task Refresh_ConcurrentUseOfOneToken_ExactlyOneSucceeds()
    {
        var pair = _issuer.Issue(Alice);
        using var start = new ManualResetEventSlim();

        var racers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.Wait();
            return _issuer.Refresh(pair.RefreshToken);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(racers);

        Assert.Single(results, r => r.Succeeded);
        // The first loser detects the reuse and revokes the family; later losers find it revoked.
        Assert.Contains(results, r => r.Failure == RefreshFailureReason.Reused);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains(r.Failure, new[] { RefreshFailureReason.Reused, RefreshFailureReason.Revoked }));
    }

    [Fact]
    public void TokenPair_ToString_DoesNotRevealSecrets()
    {
        var pair = _issuer.Issue(Alice);

        Assert.DoesNotContain(pair.RefreshToken, pair.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(pair.AccessToken, pair.ToString(), StringComparison.Ordinal);
    }
}
