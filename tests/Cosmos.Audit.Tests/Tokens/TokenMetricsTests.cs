using System.Diagnostics.Metrics;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Users;
using Cosmos.TestUtils;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Audit.Tests.Tokens;

public sealed class TokenMetricsTests
{
    [Fact]
    public async Task ValidateAsync_CountsResultsAndCacheHits()
    {
        await using var services = new ServiceCollection()
            .AddMetrics()
            .AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)))
            .AddCosmosAudit(o =>
            {
                var template = IdentityTestOptions.Create();
                o.SigningKeys = template.SigningKeys;
                o.Jwt = template.Jwt;
            })
            .BuildServiceProvider();
        using var collector = new MetricCollector("Cosmos.Audit", services.GetRequiredService<IMeterFactory>());
        var validator = services.GetRequiredService<AccessTokenValidator>();
        var issuer = services.GetRequiredService<TokenIssuer>();
        var token = (await issuer.IssueAsync(new UserContext("u1", "ann"))).AccessToken;

        await validator.ValidateAsync(token);
        await validator.ValidateAsync(token);
        await validator.ValidateAsync("garbage");
        var reuse = (await issuer.IssueAsync(new UserContext("u1", "ann"))).RefreshToken;
        await issuer.RefreshAsync(reuse);
        await issuer.RefreshAsync(reuse);

        var validations = collector.For("cosmos.audit.token.validations");
        Assert.Equal(3, validations.Count);
        Assert.Single(validations, m => (string?)m.Tags["result"] == "valid" && (bool?)m.Tags["cache_hit"] == true);
        Assert.Single(validations, m => (string?)m.Tags["result"] == "valid" && (bool?)m.Tags["cache_hit"] == false);
        Assert.Single(validations, m => (string?)m.Tags["result"] == "malformed");
        Assert.Equal(1, collector.Sum("cosmos.audit.token.refresh_reuse"));
    }
}
