using System.Net;
using Cosmos.Audit.AspNetCore.Http;
using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Tests.Http;

public sealed class UserContextFlowTests
{
    [Fact]
    public async Task Endpoint_AuthenticatedRequest_SeesTheUserThroughAccessorFeatureAndPrincipal()
    {
        await using var host = await TestHost.StartAsync(app => app.MapGet("/me", async (HttpContext http, IUserContextAccessor users) =>
        {
            await Task.Yield();
            var fromAccessor = users.Current?.UserId;
            string inner;
            using (users.Use(new UserContext("svc", "svc")))
            {
                inner = users.Current!.UserId;
            }

            return $"{fromAccessor}|{http.GetUserContext()?.UserId}|{http.User.Identity?.Name}|{http.User.IsInRole("editor")}|{inner}|{users.Current?.UserId}";
        }).RequireAuthorization());
        using var client = host.Client(host.Issue(new UserContext("alice123", "alice") { Roles = ["editor"] }));

        var body = await client.GetStringAsync("/me");

        Assert.Equal("alice123|alice123|alice|True|svc|alice123", body);
    }

    [Fact]
    public async Task Endpoint_AnonymousRequest_HasNoUser()
    {
        await using var host = await TestHost.StartAsync(app => app.MapGet("/anon", (HttpContext http, IUserContextAccessor users) =>
            $"{users.Current is null}|{http.GetUserContext() is null}"));
        using var client = host.Client();

        var body = await client.GetStringAsync("/anon");

        Assert.Equal("True|True", body);
    }

    [Fact]
    public async Task Endpoint_AnonymousAllowed_RejectedTokenStillGets401OnlyWhereRequired()
    {
        await using var host = await TestHost.StartAsync(app =>
        {
            app.MapGet("/open", () => "open");
            app.MapGet("/closed", () => "closed").RequireAuthorization();
        });
        using var client = host.Client("not-a-token");

        using var open = await client.GetAsync("/open");
        using var closed = await client.GetAsync("/closed");

        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, closed.StatusCode);
        Assert.Contains("error=\"invalid_token\"", closed.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
