using System.Net;
using Cosmos.Audit.AspNetCore.Authentication;
using Cosmos.Audit.AspNetCore.Http;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Audit.AspNetCore.Tests.Authentication;

public sealed class CosmosBearerEventsTests
{
    private static Task<TestHost> StartAsync(Action<CosmosBearerEvents> events) => TestHost.StartAsync(
        app => app.MapGet("/me", (HttpContext http) => http.GetUserContext()?.UserId ?? "none").RequireAuthorization(),
        services => services.Configure<CosmosBearerOptions>(CosmosBearerDefaults.AuthenticationScheme, o => events(o.Events)));

    [Fact]
    public async Task OnMessageReceived_TokenFromQuery_Authenticates()
    {
        await using var host = await StartAsync(e => e.OnMessageReceived = context =>
        {
            context.Token = context.Request.Query["access_token"];
            return Task.CompletedTask;
        });
        var token = host.Issue(new UserContext("q1", "query-user"));
        using var client = host.Client();

        var body = await client.GetStringAsync($"/me?access_token={token}");

        Assert.Equal("q1", body);
    }

    [Fact]
    public async Task OnTokenValidated_Fail_RefusesAValidTokenWithInvalidTokenChallenge()
    {
        await using var host = await StartAsync(e => e.OnTokenValidated = context =>
        {
            if (context.User.UserId == "banned")
            {
                context.Fail("The account is suspended.");
            }

            return Task.CompletedTask;
        });
        using var banned = host.Client(host.Issue(new UserContext("banned", "b")));
        using var fine = host.Client(host.Issue(new UserContext("ok", "o")));

        using var refused = await banned.GetAsync("/me");
        var allowed = await fine.GetStringAsync("/me");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("ok", allowed);
    }

    [Fact]
    public async Task OnAuthenticationFailed_SeesTheReason()
    {
        var seen = new List<TokenFailureReason>();
        await using var host = await StartAsync(e => e.OnAuthenticationFailed = context =>
        {
            lock (seen)
            {
                seen.Add(context.Failure);
            }

            return Task.CompletedTask;
        });
        using var client = host.Client("not-a-token");

        using var response = await client.GetAsync("/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal([TokenFailureReason.Malformed], seen);
    }

    [Fact]
    public async Task OnChallenge_HandleResponse_ReplacesTheSchemeResponse()
    {
        await using var host = await StartAsync(e => e.OnChallenge = context =>
        {
            context.HandleResponse();
            context.Response.StatusCode = StatusCodes.Status418ImATeapot;
            return Task.CompletedTask;
        });
        using var client = host.Client();

        using var response = await client.GetAsync("/me");

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }
}
