using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Cosmos.Audit.AspNetCore.Authentication;
using Cosmos.Audit.AspNetCore.Http;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Cosmos.Audit.AspNetCore.Tests.Authentication;

public sealed class CosmosBearerHandlerTests
{
    [Fact]
    public async Task Authenticate_SameTokenTwice_ServedFromTheCacheWithAPrincipalPerRequest()
    {
        var principals = new ConcurrentQueue<ClaimsPrincipal>();
        await using var host = await TestHost.StartAsync(
            app => app.MapGet("/me", (HttpContext http) =>
            {
                principals.Enqueue(http.User);
                return string.Join(",", http.User.FindAll("seen").Select(c => c.Value));
            }).RequireAuthorization(),
            services => services.AddSingleton<IClaimsTransformation, MarkingTransformation>());
        var token = host.Issue(new UserContext("alice123", "alice") { Roles = ["editor"] });
        using var client = host.Client(token);
        var validator = host.App.Services.GetRequiredService<AccessTokenValidator>();

        var first = await client.GetStringAsync("/me");
        var second = await client.GetStringAsync("/me");

        // A transformation that changes the principal it is given must not see its change again on the next request.
        Assert.Equal("yes", first);
        Assert.Equal("yes", second);
        Assert.True((await validator.ValidateAsync(token)).FromCache);
        Assert.Equal(2, principals.Count);
        Assert.NotSame(principals.First(), principals.Last());
        Assert.All(principals, p => Assert.Equal("alice", p.Identity!.Name));
        Assert.All(principals, p => Assert.True(p.IsInRole("editor")));
    }

    [Fact]
    public async Task Authenticate_TwoTokensConcurrently_EachRequestSeesOnlyItsOwnUser()
    {
        await using var host = await TestHost.StartAsync(app => app.MapGet("/me", async (HttpContext http, IUserContextAccessor users) =>
        {
            await Task.Yield();
            return $"{http.User.Identity!.Name}|{http.GetUserContext()!.UserId}|{users.Current!.UserId}|{http.User.IsInRole("viewer")}";
        }).RequireAuthorization());
        using var alice = host.Client(host.Issue(new UserContext("alice123", "alice") { Roles = ["editor"] }));
        using var bob = host.Client(host.Issue(new UserContext("bob456", "bob") { Roles = ["viewer"] }));

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? alice : bob).GetStringAsync("/me")));

        for (var i = 0; i < answers.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? "alice|alice123|alice123|False" : "bob|bob456|bob456|True", answers[i]);
        }
    }

    [Fact]
    public async Task Authenticate_CachedTokenPastItsExpiry_IsChallengedAsExpired()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        await using var host = await TestHost.StartAsync(
            app => app.MapGet("/me", (HttpContext http) => http.GetUserContext()!.UserId).RequireAuthorization(),
            services => services.AddSingleton<TimeProvider>(time));
        var token = host.Issue(new UserContext("alice123", "alice"));
        using var client = host.Client(token);
        var validator = host.App.Services.GetRequiredService<AccessTokenValidator>();
        var skew = host.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CosmosAuditOptions>>().Value.Jwt.ClockSkew;

        Assert.Equal("alice123", await client.GetStringAsync("/me"));
        time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal("alice123", await client.GetStringAsync("/me"));
        Assert.True((await validator.ValidateAsync(token)).FromCache);

        time.Advance(TimeSpan.FromMinutes(1) + skew + TimeSpan.FromSeconds(1));
        using var expired = await client.GetAsync("/me");

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        var challenge = expired.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        Assert.Contains("expired", challenge, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Authenticate_BearerPrefixAnyCaseAndPadding_ReadsTheToken()
    {
        await using var host = await TestHost.StartAsync(app => app.MapGet("/me", (HttpContext http) => http.GetUserContext()!.UserId).RequireAuthorization());
        var token = host.Issue(new UserContext("alice123", "alice"));
        using var client = host.Client();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.TryAddWithoutValidation("Authorization", "bEaReR   " + token + "  ");
        using var response = await client.SendAsync(request);
        using var empty = new HttpRequestMessage(HttpMethod.Get, "/me");
        empty.Headers.TryAddWithoutValidation("Authorization", "Bearer    ");
        using var anonymous = await client.SendAsync(empty);

        Assert.Equal("alice123", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain("error=", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserContextAccessor_WorkThatOutlivesTheRequest_SeesNoUserAfterItEnds()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(app => app.MapGet("/me", (IUserContextAccessor users) =>
        {
            var during = users.Current?.UserId ?? "none";
            _ = Task.Run(async () =>
            {
                await release.Task;
                seen.SetResult(users.Current?.UserId ?? "none");
            });
            return during;
        }).RequireAuthorization());
        using var client = host.Client(host.Issue(new UserContext("alice123", "alice")));

        var during = await client.GetStringAsync("/me");
        release.SetResult();
        var after = await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("alice123", during);
        Assert.Equal("none", after);
    }

    [Fact]
    public async Task UserContextAccessor_HostRegisteredHttpContextAccessor_StillFindsTheUser()
    {
        await using var host = await TestHost.StartAsync(
            app => app.MapGet("/me", async (IUserContextAccessor users, IHttpContextAccessor http) =>
            {
                await Task.Yield();
                return $"{users.Current?.UserId}|{http.HttpContext is not null}";
            }).RequireAuthorization(),
            services => services.AddHttpContextAccessor());
        using var client = host.Client(host.Issue(new UserContext("alice123", "alice")));

        Assert.Equal("alice123|True", await client.GetStringAsync("/me"));
    }

    [Fact]
    public void AddCosmosBearer_DoesNotRegisterAnHttpContextAccessor()
    {
        // Registering IHttpContextAccessor stops Kestrel from reusing HttpContext objects between requests.
        var services = new ServiceCollection();
        services.AddAuthentication().AddCosmosBearer();

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IHttpContextAccessor));
        Assert.Contains(services, d => d.ImplementationType == typeof(RequestUserStartupFilter));
    }

    [Fact]
    public void AddCosmosBearer_HostsOwnUserContextAccessor_IsKeptWithoutARequestSlot()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IUserContextAccessor, FixedUserContextAccessor>();
        services.AddAuthentication().AddCosmosBearer();

        Assert.Equal(typeof(FixedUserContextAccessor), Assert.Single(services, d => d.ServiceType == typeof(IUserContextAccessor)).ImplementationType);
        Assert.DoesNotContain(services, d => d.ImplementationType == typeof(RequestUserStartupFilter));
    }

    [Fact]
    public void Events_HooksLeftAtTheirDefaults_AreSkipped()
    {
        var defaults = new CosmosBearerEvents();
        var withHook = new CosmosBearerEvents { OnTokenValidated = _ => Task.CompletedTask };
        var derived = new DerivedEvents();

        Assert.False(defaults.HasMessageReceivedHook);
        Assert.False(defaults.HasTokenValidatedHook);
        Assert.False(withHook.HasMessageReceivedHook);
        Assert.True(withHook.HasTokenValidatedHook);
        Assert.True(derived.HasMessageReceivedHook);
        Assert.True(derived.HasTokenValidatedHook);
    }

    [Fact]
    public async Task Events_DerivedTypeOverridingTokenValidated_IsCalled()
    {
        await using var host = await TestHost.StartAsync(
            app => app.MapGet("/me", (HttpContext http) => http.User.FindFirst("extra")?.Value ?? "none").RequireAuthorization(),
            services =>
            {
                services.AddSingleton<DerivedEvents>();
                services.Configure<CosmosBearerOptions>(CosmosBearerDefaults.AuthenticationScheme, o => o.EventsType = typeof(DerivedEvents));
            });
        using var client = host.Client(host.Issue(new UserContext("alice123", "alice")));

        Assert.Equal("from-events", await client.GetStringAsync("/me"));
    }

    private sealed class FixedUserContextAccessor : IUserContextAccessor
    {
        public UserContext? Current => null;

        public IDisposable Use(UserContext user) => throw new NotSupportedException();
    }

    private sealed class MarkingTransformation : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            // Deliberately changes the principal it is given, as many transformations do.
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim("seen", "yes"));
            return Task.FromResult(principal);
        }
    }

    private sealed class DerivedEvents : CosmosBearerEvents
    {
        public override Task TokenValidated(CosmosBearerTokenValidatedContext context)
        {
            ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim("extra", "from-events"));
            return base.TokenValidated(context);
        }
    }
}
