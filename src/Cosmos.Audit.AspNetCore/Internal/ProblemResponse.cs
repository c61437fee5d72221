using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Cosmos.Audit.AspNetCore.Internal;

/// <summary>Writes RFC 9457 problem details; the host's <see cref="IProblemDetailsService"/> (and its customizations) is used
/// when registered, otherwise the body is serialized directly.</summary>
internal static class ProblemResponse
{
    public static ProblemDetails Create(int status, string? title, string? detail, HttpContext context)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = context.Request.Path };
        return problem;
    }

    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        return TypedResults.Problem(problem).ExecuteAsync(context);
    }

    public static void AddChallenge(HttpContext context, string challenge) =>
        context.Response.Headers.Append(HeaderNames.WWWAuthenticate, challenge);
}
