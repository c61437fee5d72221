using Cosmos.Audit.AspNetCore.Authentication;
using Cosmos.Audit.AspNetCore.Problems;
using Cosmos.Audit.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.AspNetCore.Tests.Options;

public sealed class OptionsValidationTests
{
    private static ServiceProvider Build(Action<CosmosBearerOptions>? bearer = null, Action<AuditProblemOptions>? problems = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddCosmosAudit(o => TestHost.ConfigureAudit(o, Path.GetTempPath()));
        services.AddAuthentication().AddCosmosBearer(o => bearer?.Invoke(o));
        if (problems is not null)
        {
            services.Configure(problems);
        }

        return services.BuildServiceProvider();
    }

    [Fact]
    public void Defaults_AreValid()
    {
        using var provider = Build();

        var bearer = provider.GetRequiredService<IOptionsMonitor<CosmosBearerOptions>>().Get(CosmosBearerDefaults.AuthenticationScheme);
        var problems = provider.GetRequiredService<IOptions<AuditProblemOptions>>().Value;

        Assert.Null(bearer.Realm);
        Assert.True(bearer.IncludeErrorDescription && bearer.WriteProblemDetails && bearer.ReportFailedAuthentications);
        Assert.Equal(422, problems.DefaultRefusalStatusCode);
        Assert.Equal(401, problems.StatusCodes[AuditedWriteStatus.Unauthenticated]);
    }

    [Theory]
    [InlineData("with \"quote\"")]
    [InlineData("back\\slash")]
    [InlineData("new\nline")]
    [InlineData("")]
    public void Realm_UnsafeForAQuotedHeader_FailsNamingRealm(string realm)
    {
        using var provider = Build(bearer: o => o.Realm = realm);

        var ex = Assert.Throws<OptionsValidationException>(() =>
            provider.GetRequiredService<IOptionsMonitor<CosmosBearerOptions>>().Get(CosmosBearerDefaults.AuthenticationScheme));
        Assert.Contains("Realm", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusCodes_SuccessMapped_FailsNamingTheEntry()
    {
        using var provider = Build(problems: o => o.StatusCodes[AuditedWriteStatus.Succeeded] = 500);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AuditProblemOptions>>().Value);
        Assert.Contains("AuditProblemOptions.StatusCodes[Succeeded]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusCodes_NonErrorStatus_FailsNamingTheEntry()
    {
        using var provider = Build(problems: o => o.StatusCodes[AuditedWriteStatus.Conflict] = 200);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AuditProblemOptions>>().Value);
        Assert.Contains("AuditProblemOptions.StatusCodes[Conflict]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultRefusalStatusCode_OutOfRange_FailsNamingIt()
    {
        using var provider = Build(problems: o => o.DefaultRefusalStatusCode = 302);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AuditProblemOptions>>().Value);
        Assert.Contains("DefaultRefusalStatusCode", ex.Message, StringComparison.Ordinal);
    }
}
