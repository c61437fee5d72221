using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;

namespace Cosmos.Audit.Tests.Tokens;

/// <summary>The behaviour every <see cref="IRefreshTokenStore"/> must have; each implementation's test class derives from this one.</summary>
public abstract class RefreshTokenStoreContractTests
{
    protected static readonly DateTimeOffset SignIn = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan Week = TimeSpan.FromDays(7);

    protected abstract IRefreshTokenStore Store { get; }

    protected static string NewHash() => Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());

    protected async Task<string> SignInAsync(UserContext? user = null, TimeSpan? familyLifetime = null)
    {
        var hash = NewHash();
        await Store.AddFamilyAsync(new RefreshTokenGrant(hash, Guid.NewGuid().ToString("N"), user ?? new UserContext("u1", "ann"), SignIn + Week, SignIn + (familyLifetime ?? Week)));
        return hash;
    }

    [Fact]
    public async Task RotateAsync_ValidToken_ReturnsTheUserAndCapsTheReplacementAtTheFamilyEnd()
    {
        var user = new UserContext("svc_etl", "etl") { Roles = ["a", "b"], IsServiceAccount = true, Delegation = new Delegation("john", "import") };
        var token = await SignInAsync(user);

        var rotation = await Store.RotateAsync(token, NewHash(), SignIn.AddDays(2), Week);

        Assert.True(rotation.Succeeded);
        Assert.Equal(user.UserId, rotation.User!.UserId);
        Assert.Equal(user.Username, rotation.User.Username);
        Assert.Equal(user.Roles, rotation.User.Roles);
        Assert.True(rotation.User.IsServiceAccount);
        Assert.Equal(user.Delegation, rotation.User.Delegation);
        Assert.Equal(SignIn + Week, rotation.ReplacementExpiresAt);
    }

    [Fact]
    public async Task RotateAsync_ShortSlidingLifetime_ReplacementExpiresFirst()
    {
        var token = await SignInAsync();

        var rotation = await Store.RotateAsync(token, NewHash(), SignIn.AddDays(1), TimeSpan.FromHours(1));

        Assert.Equal(SignIn.AddDays(1).AddHours(1), rotation.ReplacementExpiresAt);
    }

    [Fact]
    public async Task RotateAsync_ReplacementToken_RotatesAgain()
    {
        var token = await SignInAsync();
        var next = NewHash();
        await Store.RotateAsync(token, next, SignIn.AddDays(1), Week);

        Assert.True((await Store.RotateAsync(next, NewHash(), SignIn.AddDays(2), Week)).Succeeded);
    }

    [Fact]
    public async Task RotateAsync_UsedToken_IsReuseAndRevokesTheFamily()
    {
        var token = await SignInAsync();
        var next = NewHash();
        await Store.RotateAsync(token, next, SignIn.AddDays(1), Week);

        var replay = await Store.RotateAsync(token, NewHash(), SignIn.AddDays(1), Week);

        Assert.Equal(RefreshFailureReason.Reused, replay.Failure);
        Assert.Equal("u1", replay.User!.UserId);
        Assert.Equal(RefreshFailureReason.Revoked, (await Store.RotateAsync(next, NewHash(), SignIn.AddDays(1), Week)).Failure);
    }

    [Fact]
    public async Task RotateAsync_AtFamilyEnd_IsExpired()
    {
        var token = await SignInAsync(familyLifetime: TimeSpan.FromDays(3));
        var next = NewHash();
        await Store.RotateAsync(token, next, SignIn.AddDays(2), Week);

        Assert.Equal(RefreshFailureReason.Expired, (await Store.RotateAsync(next, NewHash(), SignIn.AddDays(3), Week)).Failure);
    }

    [Fact]
    public async Task RotateAsync_UnknownToken_IsUnknown()
    {
        var rotation = await Store.RotateAsync(NewHash(), NewHash(), SignIn, Week);

        Assert.Equal(RefreshFailureReason.Unknown, rotation.Failure);
        Assert.Null(rotation.User);
    }

    [Fact]
    public async Task RevokeFamilyAsync_AnyTokenOfTheFamily_RevokesEveryToken()
    {
        var token = await SignInAsync();
        var next = NewHash();
        await Store.RotateAsync(token, next, SignIn.AddDays(1), Week);
        var otherFamily = await SignInAsync();

        Assert.True(await Store.RevokeFamilyAsync(token));

        Assert.Equal(RefreshFailureReason.Revoked, (await Store.RotateAsync(next, NewHash(), SignIn.AddDays(1), Week)).Failure);
        Assert.True((await Store.RotateAsync(otherFamily, NewHash(), SignIn.AddDays(1), Week)).Succeeded);
        Assert.False(await Store.RevokeFamilyAsync(NewHash()));
    }

    [Fact]
    public async Task RotateAsync_ConcurrentRotationsOfOneToken_ExactlyOneWinsAndTheFamilyIsRevoked()
    {
        var token = await SignInAsync();
        var replacements = Enumerable.Range(0, 8).Select(_ => NewHash()).ToArray();

        var results = await Task.WhenAll(replacements.Select(r => Task.Run(() => Store.RotateAsync(token, r, SignIn.AddDays(1), Week))));

        var winner = Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains(r.Failure, new[] { RefreshFailureReason.Reused, RefreshFailureReason.Revoked }));
        Assert.Contains(results, r => r.Failure == RefreshFailureReason.Reused);
        var winnersToken = replacements[Array.IndexOf(results, winner)];
        Assert.Equal(RefreshFailureReason.Revoked, (await Store.RotateAsync(winnersToken, NewHash(), SignIn.AddDays(1), Week)).Failure);
    }

    [Fact]
    public async Task RotateAsync_BadArguments_NameTheArgument()
    {
        Assert.Equal("presentedTokenHash", (await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.RotateAsync("", NewHash(), SignIn, Week))).ParamName);
        Assert.Equal("replacementTokenHash", (await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.RotateAsync(NewHash(), null!, SignIn, Week))).ParamName);
        Assert.Equal("replacementLifetime", (await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.RotateAsync(NewHash(), NewHash(), SignIn, TimeSpan.Zero))).ParamName);
    }
}
