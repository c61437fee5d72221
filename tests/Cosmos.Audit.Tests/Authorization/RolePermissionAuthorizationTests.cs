using System.Diagnostics.Metrics;
using Cosmos.Audit.Authorization;
using Cosmos.Audit.Users;
using Cosmos.TestUtils;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Audit.Tests.Authorization;

public sealed class RolePermissionAuthorizationTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly IAuditAuthorizationService _authorization;

    public RolePermissionAuthorizationTests()
    {
        _services = new ServiceCollection()
            .AddMetrics()
            .AddCosmosAudit(o =>
            {
                var template = IdentityTestOptions.Create();
                o.SigningKeys = template.SigningKeys;
                o.Jwt = template.Jwt;
                o.RolePermissions["editor"] = ["documents.read", "documents.write"];
                o.RolePermissions["viewer"] = ["documents.read"];
                o.RolePermissions["admin"] = ["*"];
            })
            .BuildServiceProvider();
        _authorization = _services.GetRequiredService<IAuditAuthorizationService>();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Authorize_RoleGrantsPermission_Allows()
    {
        var decision = _authorization.Authorize(new UserContext("u1", "ann") { Roles = ["viewer", "editor"] }, "documents.write");

        Assert.True(decision.IsAllowed);
        Assert.Equal("u1", decision.UserId);
        Assert.Null(decision.Reason);
    }

    [Fact]
    public void Authorize_NoRoleGrantsPermission_DeniesNamingThePermission()
    {
        var decision = _authorization.Authorize(new UserContext("u2", "vic") { Roles = ["viewer"] }, "documents.delete");

        Assert.False(decision.IsAllowed);
        Assert.Equal("documents.delete", decision.Permission);
        Assert.Contains("viewer", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Authorize_WildcardRole_AllowsAnything()
    {
        Assert.True(_authorization.Authorize(new UserContext("root", "root") { Roles = ["admin"] }, "anything.at.all").IsAllowed);
    }

    [Fact]
    public void Authorize_AnonymousOrRoleless_Denied()
    {
        Assert.False(_authorization.Authorize(null, "documents.read").IsAllowed);
        Assert.False(_authorization.Authorize(new UserContext("u3", "nobody"), "documents.read").IsAllowed);
        Assert.False(_authorization.Authorize(new UserContext("u4", "x") { Roles = ["Viewer"] }, "documents.read").IsAllowed);
    }

    [Fact]
    public void EnsureAuthorized_Denied_ThrowsNamingPermissionAndUser()
    {
        var ex = Assert.Throws<AuditAuthorizationException>(() =>
            _authorization.EnsureAuthorized(new UserContext("u2", "vic") { Roles = ["viewer"] }, "documents.write"));

        Assert.Equal("documents.write", ex.Permission);
        Assert.Equal("u2", ex.UserId);
        Assert.Contains("'documents.write'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetPermissions_UnionOfRoles()
    {
        var permissions = _authorization.GetPermissions(new UserContext("u1", "ann") { Roles = ["viewer", "editor"] });

        Assert.Equal(["documents.read", "documents.write"], permissions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Authorize_Denied_CountsADenialMetric()
    {
        using var collector = new MetricCollector("Cosmos.Audit", _services.GetRequiredService<IMeterFactory>());

        _authorization.Authorize(new UserContext("u2", "vic") { Roles = ["viewer"] }, "documents.write");
        _authorization.Authorize(new UserContext("u2", "vic") { Roles = ["viewer"] }, "documents.read");

        var denial = Assert.Single(collector.For("cosmos.audit.authorization.denials"));
        Assert.Equal("documents.write", denial.Tags["permission"]);
    }

    [Fact]
    public void Authorize_EmptyPermission_Throws()
    {
        Assert.Throws<ArgumentException>(() => _authorization.Authorize(new UserContext("a", "b"), ""));
    }
}
