using Cosmos.Audit.AspNetCore.Internal;
using Cosmos.Audit.Pipeline;
using Cosmos.Audit.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.AspNetCore.Problems;

/// <summary>The problem response of a refused audited write; the status map is read from the request's services when it runs.</summary>
internal sealed class AuditWriteProblemResult(AuditedWriteResult result) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var options = httpContext.RequestServices.GetService<IOptions<AuditProblemOptions>>()?.Value ?? new AuditProblemOptions();
        var status = result.Verdict is { Validator: { } validator } && options.RefusalStatusCodes.TryGetValue(validator, out var byValidator)
            ? byValidator
            : options.StatusCodes.TryGetValue(result.Status, out var mapped) ? mapped : options.DefaultRefusalStatusCode;

        // RFC 9110 §13.1.1: a stale version the client named in If-Match is a failed precondition, not a plain conflict.
        if (result.Status == AuditedWriteStatus.VersionMismatch && httpContext.Request.Headers.IfMatch.Count > 0)
        {
            status = StatusCodes.Status412PreconditionFailed;
        }

        var problem = ProblemResponse.Create(status, title: null, result.Message, httpContext);
        problem.Extensions["audit_status"] = StatusName(result.Status);
        if (result.TokenFailure is { } failure)
        {
            problem.Extensions["token_error"] = failure.ToErrorCode();
        }

        if (result.MissingPermission is { } permission)
        {
            problem.Extensions["missing_permission"] = permission;
        }

        if (result.Verdict is { IsAllowed: false } verdict)
        {
            // RFC 9457 §3's own example: an "errors" member whose entries locate the problem with a JSON pointer.
            problem.Extensions["validator"] = verdict.Validator;
            if (verdict.Errors.Count > 0)
            {
                problem.Extensions["errors"] = verdict.Errors.Select(e => new Dictionary<string, string> { ["pointer"] = e.Location, ["detail"] = e.Message }).ToArray();
            }
        }

        if (result.Status == AuditedWriteStatus.VersionMismatch && result.Version is { } current)
        {
            problem.Extensions["current_version"] = current;
        }

        // RFC 9110 §15.5.2: a 401 carries a challenge. The pipeline's own refusals are the same errors the bearer scheme reports.
        if (status == StatusCodes.Status401Unauthorized)
        {
            var description = result.TokenFailure is { } reason ? BearerChallenge.Describe(reason) : null;
            var error = result.TokenFailure is null or TokenFailureReason.None ? null : BearerChallenge.InvalidToken;
            ProblemResponse.AddChallenge(httpContext, BearerChallenge.Build(realm: null, error, error is null ? null : description, scope: null));
        }
        else if (status == StatusCodes.Status403Forbidden && result.Status == AuditedWriteStatus.Forbidden)
        {
            ProblemResponse.AddChallenge(
                httpContext, BearerChallenge.Build(realm: null, BearerChallenge.InsufficientScope, result.Message, result.MissingPermission));
        }

        return ProblemResponse.WriteAsync(httpContext, problem);
    }

    // Stable snake-case names for the known statuses; a status added later still gets a name (its enum name, lower-cased).
    private static string StatusName(AuditedWriteStatus status) => status switch
    {
        AuditedWriteStatus.Unauthenticated => "unauthenticated",
        AuditedWriteStatus.Forbidden => "forbidden",
        AuditedWriteStatus.NotFound => "not_found",
        AuditedWriteStatus.Conflict => "conflict",
        AuditedWriteStatus.Refused => "refused",
        AuditedWriteStatus.VersionMismatch => "version_mismatch",
        _ => Enum.IsDefined(status) ? ToSnakeCase(status.ToString()) : ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string ToSnakeCase(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
