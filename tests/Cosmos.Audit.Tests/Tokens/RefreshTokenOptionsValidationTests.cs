using Cosmos.Audit.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Tests.Tokens;

public sealed class RefreshTokenOptionsValidationTests
{
    private static ServiceProvider Build(Action<CosmosAuditOptions> configure) =>
        new ServiceCollection().AddCosmosAudit(o =>
        {
            var template = IdentityTestOptions.Create();
            o.SigningKeys = template.SigningKeys;
            o.Jwt = template.Jwt;
            configure(o);
        }).BuildServiceProvider();

    [Fact]
    public void Validate_Defaults_AbsoluteLifetimeIsSevenDays()
    {
        using var services = Build(_ => { });

        Assert.Equal(TimeSpan.FromDays(7), services.GetRequiredService<IOptions<CosmosAuditOptions>>().Value.RefreshTokens.AbsoluteLifetime);
        Assert.IsType<InMemoryRefreshTokenStore>(services.GetRequiredService<IRefreshTokenStore>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validate_NonPositiveAbsoluteLifetime_NamesTheOption(int days)
    {
        using var services = Build(o => o.RefreshTokens.AbsoluteLifetime = TimeSpan.FromDays(days));

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CosmosAuditOptions>>().Value);

        Assert.Contains("CosmosAuditOptions.RefreshTokens.AbsoluteLifetime must be positive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AbsoluteLifetimeShorterThanTokenLifetime_NamesBothOptions()
    {
        using var services = Build(o => o.RefreshTokens.AbsoluteLifetime = TimeSpan.FromDays(3));

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CosmosAuditOptions>>().Value);

        Assert.Contains("CosmosAuditOptions.RefreshTokens.AbsoluteLifetime", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CosmosAuditOptions.Jwt.RefreshTokenLifetime", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NullRefreshTokens_NamesTheOption()
    {
        using var services = Build(o => o.RefreshTokens = null!);

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CosmosAuditOptions>>().Value);

        Assert.Contains("CosmosAuditOptions.RefreshTokens must not be null", ex.Message, StringComparison.Ordinal);
    }
}
