using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Cosmos.Audit.Tests.Tokens;

public sealed class TokenIssuerTests : IDisposable
{
    private static readonly UserContext Alice = new("alice123", "alice.smith") { Roles = ["editor", "auditor"] };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
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
        var pair = await _issuer.IssueAsync(Alice);

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
        var pair = await _issuer.IssueAsync(Alice);

        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(31));

        Assert.Equal(TokenFailureReason.Expired, (await _validator.ValidateAsync(pair.AccessToken)).Failure);
    }

    [Fact]
    public async Task Issue_ServiceAccountWithDelegation_RoundTripsThroughValidation()
    {
        var user = new UserContext("svc_etl", "etl-service") { IsServiceAccount = true, Delegation = new Delegation("john.doe", "import") };

        var validated = (await _validator.ValidateAsync((await _issuer.IssueAsync(user)).AccessToken)).User!;

        Assert.True(validated.IsServiceAccount);
        Assert.Equal(user.Delegation, validated.Delegation);
    }

    [Fact]
    public async Task Refresh_RotatesTheRefreshToken()
    {
        var first = await _issuer.IssueAsync(Alice);
        _time.Advance(TimeSpan.FromMinutes(20));

        var refreshed = (await _issuer.RefreshAsync(first.RefreshToken));

        Assert.True(refreshed.Succeeded);
        Assert.NotEqual(first.RefreshToken, refreshed.Tokens!.RefreshToken);
        Assert.NotEqual(first.AccessToken, refreshed.Tokens.AccessToken);
        Assert.Equal(_time.GetUtcNow().AddMinutes(15), refreshed.Tokens.AccessTokenExpiresAt);
        Assert.True((await _issuer.RefreshAsync(refreshed.Tokens.RefreshToken)).Succeeded);
    }

    [Fact]
    public async Task Refresh_UsedTokenPresentedAgain_DetectsReuseAndRevokesTheFamily()
    {
        var first = await _issuer.IssueAsync(Alice);
        var second = (await _issuer.RefreshAsync(first.RefreshToken)).Tokens!;

        var replay = (await _issuer.RefreshAsync(first.RefreshToken));

        Assert.Equal(RefreshFailureReason.Reused, replay.Failure);
        Assert.Null(replay.Tokens);
        Assert.Equal(RefreshFailureReason.Revoked, (await _issuer.RefreshAsync(second.RefreshToken)).Failure);
    }

    [Fact]
    public async Task Refresh_OtherFamilies_AreUnaffectedByReuse()
    {
        var stolen = await _issuer.IssueAsync(Alice);
        var otherDevice = await _issuer.IssueAsync(Alice);
        await _issuer.RefreshAsync(stolen.RefreshToken);
        await _issuer.RefreshAsync(stolen.RefreshToken);

        Assert.True((await _issuer.RefreshAsync(otherDevice.RefreshToken)).Succeeded);
    }

    [Fact]
    public async Task Refresh_AfterSevenDays_IsExpired()
    {
        var pair = await _issuer.IssueAsync(Alice);

        _time.Advance(TimeSpan.FromDays(7));

        Assert.Equal(RefreshFailureReason.Expired, (await _issuer.RefreshAsync(pair.RefreshToken)).Failure);
    }

    [Fact]
    public async Task Refresh_UnknownToken_IsUnknown()
    {
        Assert.Equal(RefreshFailureReason.Unknown, (await _issuer.RefreshAsync("not-issued-here")).Failure);
    }

    [Fact]
    public async Task Revoke_SignOut_RevokesTheFamily()
    {
        var pair = await _issuer.IssueAsync(Alice);
        var next = (await _issuer.RefreshAsync(pair.RefreshToken)).Tokens!;

        Assert.True(await _issuer.RevokeAsync(pair.RefreshToken));

        Assert.Equal(RefreshFailureReason.Revoked, (await _issuer.RefreshAsync(next.RefreshToken)).Failure);
        Assert.False(await _issuer.RevokeAsync("unknown"));
    }

    [Fact]
    public async Task Refresh_ConcurrentUseOfOneToken_ExactlyOneSucceeds()
    {
        var pair = await _issuer.IssueAsync(Alice);
        using var start = new ManualResetEventSlim();

        var racers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.Wait();
            return _issuer.RefreshAsync(pair.RefreshToken);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(racers);

        Assert.Single(results, r => r.Succeeded);
        // The first loser detects the reuse and revokes the family; later losers find it revoked.
        Assert.Contains(results, r => r.Failure == RefreshFailureReason.Reused);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains(r.Failure, new[] { RefreshFailureReason.Reused, RefreshFailureReason.Revoked }));
    }

    [Fact]
    public async Task TokenPair_ToString_DoesNotRevealSecrets()
    {
        var pair = await _issuer.IssueAsync(Alice);

        Assert.DoesNotContain(pair.RefreshToken, pair.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(pair.AccessToken, pair.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_FamilyRotatedEverySixDays_DiesAtItsAbsoluteLifetime()
    {
        var signIn = _time.GetUtcNow();
        var pair = await _issuer.IssueAsync(Alice);

        // Day 6: in time for the 7-day token, but the replacement is capped at the family's end, day 7.
        _time.Advance(TimeSpan.FromDays(6));
        var day6 = await _issuer.RefreshAsync(pair.RefreshToken);
        Assert.True(day6.Succeeded);
        Assert.Equal(signIn.AddDays(7), day6.Tokens!.RefreshTokenExpiresAt);

        // Just before the end the family still rotates, and the next token is capped at the same instant.
        _time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
        var lastSecond = await _issuer.RefreshAsync(day6.Tokens.RefreshToken);
        Assert.True(lastSecond.Succeeded);
        Assert.Equal(signIn.AddDays(7), lastSecond.Tokens!.RefreshTokenExpiresAt);

        // Day 12 (a six-day rotation after day 6): rotation never extended the family, so it is dead.
        _time.Advance(TimeSpan.FromDays(5) + TimeSpan.FromSeconds(1));
        Assert.Equal(RefreshFailureReason.Expired, (await _issuer.RefreshAsync(lastSecond.Tokens.RefreshToken)).Failure);
    }

    [Fact]
    public async Task Refresh_AtExactlyTheAbsoluteLifetime_IsExpired()
    {
        var pair = await _issuer.IssueAsync(Alice);
        _time.Advance(TimeSpan.FromDays(3));
        var next = (await _issuer.RefreshAsync(pair.RefreshToken)).Tokens!;

        _time.Advance(TimeSpan.FromDays(4));

        Assert.Equal(RefreshFailureReason.Expired, (await _issuer.RefreshAsync(next.RefreshToken)).Failure);
    }

    [Fact]
    public async Task Refresh_ConfiguredAbsoluteLifetime_CapsEveryTokenOfTheFamily()
    {
        var issuer = new TokenIssuer(
            IdentityTestOptions.Wrap(o =>
            {
                o.Jwt.RefreshTokenLifetime = TimeSpan.FromDays(2);
                o.RefreshTokens.AbsoluteLifetime = TimeSpan.FromDays(3);
            }),
            _time);
        var signIn = _time.GetUtcNow();
        var pair = await issuer.IssueAsync(Alice);
        Assert.Equal(signIn.AddDays(2), pair.RefreshTokenExpiresAt);

        _time.Advance(TimeSpan.FromDays(1.5));
        var next = (await issuer.RefreshAsync(pair.RefreshToken)).Tokens!;
        Assert.Equal(signIn.AddDays(3), next.RefreshTokenExpiresAt);

        _time.Advance(TimeSpan.FromDays(1.5));
        Assert.Equal(RefreshFailureReason.Expired, (await issuer.RefreshAsync(next.RefreshToken)).Failure);
    }
}
