using System.Security.Claims;
using Cosmos.Audit.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Audit.AspNetCore.Tests.Authorization;

public sealed class CosmosPermissionPolicyTests
{
    private static ServiceProvider Build(Action<AuthorizationOptions>? authorization = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddCosmosAudit(o => TestHost.ConfigureAudit(o, Path.GetTempPath()));
        services.AddCosmosPermissionPolicies();
        if (authorization is not null)
        {
            services.Configure(authorization);
        }

        return services.BuildServiceProvider();
    }

    private static ClaimsPrincipal OtherScheme(params string[] roles)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, "ext-7"), new(ClaimTypes.Name, "erin") };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Cookies"));
    }

    [Fact]
    public async Task GetPolicyAsync_PermissionOfTheRoleMap_RequiresAuthenticationAndThePermission()
    {
        await using var provider = Build();
        var policies = provider.GetRequiredService<IAuthorizationPolicyProvider>();

        var policy = await policies.GetPolicyAsync("documents.write");

        Assert.NotNull(policy);
        Assert.Contains(policy.Requirements, r => r is CosmosPermissionRequirement { Permission: "documents.write" });
        Assert.Contains(policy.Requirements, r => r is Microsoft.AspNetCore.Authorization.Infrastructure.DenyAnonymousAuthorizationRequirement);
    }

    [Fact]
    public async Task GetPolicyAsync_SameName_AnswersTheSamePolicySoEndpointsMayCacheIt()
    {
        await using var provider = Build(o => o.AddPolicy("named", p => p.RequireClaim("special")));
        var policies = provider.GetRequiredService<IAuthorizationPolicyProvider>();

        Assert.True(policies.AllowsCachingPolicies);
        Assert.Same(await policies.GetPolicyAsync("documents.write"), await policies.GetPolicyAsync("documents.write"));
        Assert.Same(await policies.GetPolicyAsync("named"), await policies.GetPolicyAsync("named"));
        Assert.Same(await policies.GetDefaultPolicyAsync(), await policies.GetDefaultPolicyAsync());
    }

    [Fact]
    public async Task GetPolicyAsync_UnknownNameAndWildcard_AreNotPolicies()
    {
        await using var provider = Build();
        var policies = provider.GetRequiredService<IAuthorizationPolicyProvider>();

        Assert.Null(await policies.GetPolicyAsync("documents.wrte"));
        Assert.Null(await policies.GetPolicyAsync("*"));
    }

    [Fact]
    public async Task GetPolicyAsync_PolicyRegisteredByName_TakesPrecedence()
    {
        await using var provider = Build(o => o.AddPolicy("documents.read", p => p.RequireClaim("special")));
        var policies = provider.GetRequiredService<IAuthorizationPolicyProvider>();

        var policy = await policies.GetPolicyAsync("documents.read");

        Assert.DoesNotContain(policy!.Requirements, r => r is CosmosPermissionRequirement);
    }

    [Theory]
    [InlineData("editor", true)]
    [InlineData("viewer", false)]
    [InlineData("admin", true)]
    public async Task AuthorizeAsync_PrincipalOfAnotherScheme_UsesItsRoleClaims(string role, bool allowed)
    {
        await using var provider = Build();
        var authorization = provider.GetRequiredService<IAuthorizationService>();

        var result = await authorization.AuthorizeAsync(OtherScheme(role), resource: null, "documents.write");

        Assert.Equal(allowed, result.Succeeded);
    }

    [Fact]
    public async Task AuthorizeAsync_Anonymous_FailsWithoutPermissionCheck()
    {
        await using var provider = Build();
        var authorization = provider.GetRequiredService<IAuthorizationService>();

        var result = await authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), resource: null, "documents.read");

        Assert.False(result.Succeeded);
    }

    [Fact]
    public void RequireCosmosPermission_EmptyPermission_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => new AuthorizationPolicyBuilder().RequireCosmosPermission(""));
        Assert.Equal("permission", ex.ParamName);
    }
}
