using System.Text.Json.Nodes;
using Cosmos.Audit.AspNetCore.Problems;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Tokens;
using Cosmos.Audit.Validators;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Audit.AspNetCore.Tests.Problems;

public sealed class AuditedWriteResultHttpExtensionsTests
{
    private static async Task<(int Status, JsonObject Body, string? Challenge)> ExecuteAsync(IResult result, Action<AuditProblemOptions>? configure = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<AuditProblemOptions>().Configure(o => configure?.Invoke(o));
        await using var provider = services.BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Request.Path = "/documents/d1";
        using var body = new MemoryStream();
        context.Response.Body = body;

        await result.ExecuteAsync(context);

        var json = JsonNode.Parse(body.ToArray())!.AsObject();
        return (context.Response.StatusCode, json, context.Response.Headers.WWWAuthenticate.ToString() is { Length: > 0 } c ? c : null);
    }

    [Theory]
    [InlineData(AuditedWriteStatus.NotFound, 404, "not_found")]
    [InlineData(AuditedWriteStatus.Conflict, 409, "conflict")]
    public async Task ToProblemResult_KnownRefusal_MapsToItsStatus(AuditedWriteStatus status, int expected, string name)
    {
        var (code, body, challenge) = await ExecuteAsync(new AuditedWriteResult { Status = status, Message = "why" }.ToProblemResult());

        Assert.Equal(expected, code);
        Assert.Equal(expected, (int)body["status"]!);
        Assert.Equal("why", (string)body["detail"]!);
        Assert.Equal(name, (string)body["audit_status"]!);
        Assert.Equal("/documents/d1", (string)body["instance"]!);
        Assert.Null(challenge);
    }

    [Fact]
    public async Task ToProblemResult_StatusTheMapDoesNotKnow_UsesDefaultRefusalStatus()
    {
        var (code, body, _) = await ExecuteAsync(new AuditedWriteResult { Status = (AuditedWriteStatus)42, Message = "refused by a rule" }.ToProblemResult());

        Assert.Equal(422, code);
        Assert.Equal("42", (string)body["audit_status"]!);
        Assert.Equal("refused by a rule", (string)body["detail"]!);
    }

    [Fact]
    public async Task ToProblemResult_ConfiguredMap_IsHonoured()
    {
        var (code, _, _) = await ExecuteAsync(
            new AuditedWriteResult { Status = AuditedWriteStatus.Conflict }.ToProblemResult(),
            o => o.StatusCodes[AuditedWriteStatus.Conflict] = 412);

        Assert.Equal(412, code);
    }

    [Fact]
    public async Task ToProblemResult_Unauthenticated_CarriesInvalidTokenChallenge()
    {
        var result = new AuditedWriteResult { Status = AuditedWriteStatus.Unauthenticated, TokenFailure = TokenFailureReason.Expired };

        var (code, body, challenge) = await ExecuteAsync(result.ToProblemResult());

        Assert.Equal(401, code);
        Assert.Equal("expired", (string)body["token_error"]!);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has expired.\"", challenge);
    }

    [Fact]
    public async Task ToProblemResult_Forbidden_CarriesInsufficientScopeChallenge()
    {
        var result = new AuditedWriteResult { Status = AuditedWriteStatus.Forbidden, MissingPermission = "documents.write", Message = "no role grants it" };

        var (code, body, challenge) = await ExecuteAsync(result.ToProblemResult());

        Assert.Equal(403, code);
        Assert.Equal("documents.write", (string)body["missing_permission"]!);
        Assert.Equal("Bearer error=\"insufficient_scope\", error_description=\"no role grants it\", scope=\"documents.write\"", challenge);
    }

    [Fact]
    public void ToProblemResult_Success_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new AuditedWriteResult { Status = AuditedWriteStatus.Succeeded }.ToProblemResult());
        Assert.Equal("result", ex.ParamName);
    }

    [Fact]
    public void ToHttpResult_Success_UsesTheCallersResult()
    {
        var ok = Results.Ok();

        Assert.Same(ok, new AuditedWriteResult { Status = AuditedWriteStatus.Succeeded }.ToHttpResult(_ => ok));
        Assert.NotSame(ok, new AuditedWriteResult { Status = AuditedWriteStatus.Conflict }.ToHttpResult(_ => ok));
    }

    [Fact]
    public async Task ToProblemResult_ValidatorRefusal_CarriesValidatorAndPointerErrors()
    {
        var result = new AuditedWriteResult
        {
            Status = AuditedWriteStatus.Refused,
            Message = "refused by schema",
            Verdict = AuditValidationVerdict.Refuse("schema", "does not match", [new AuditValidationError("/title", "must be a string")]),
        };

        var (code, body, _) = await ExecuteAsync(result.ToProblemResult());

        Assert.Equal(422, code);
        Assert.Equal("refused", (string)body["audit_status"]!);
        Assert.Equal("schema", (string)body["validator"]!);
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal(("/title", "must be a string"), ((string)error["pointer"]!, (string)error["detail"]!));
    }

    [Fact]
    public async Task ToProblemResult_RefusalStatusByValidator_OverridesTheStatusMap()
    {
        var result = new AuditedWriteResult { Status = AuditedWriteStatus.Refused, Verdict = AuditValidationVerdict.Refuse("limits", "too deep") };

        var (code, _, _) = await ExecuteAsync(result.ToProblemResult(), o => o.RefusalStatusCodes["limits"] = 413);

        Assert.Equal(413, code);
    }

    [Fact]
    public async Task ToProblemResult_VersionMismatch_Is409WithCurrentVersion()
    {
        var (code, body, _) = await ExecuteAsync(new AuditedWriteResult { Status = AuditedWriteStatus.VersionMismatch, Version = 7 }.ToProblemResult());

        Assert.Equal(409, code);
        Assert.Equal(7, (long)body["current_version"]!);
    }
}
