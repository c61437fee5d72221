using Cosmos.Audit.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Problems;

/// <summary>Turns <see cref="AuditedWriteResult"/> values into HTTP results: the caller's response on success, an RFC 9457
/// problem otherwise.</summary>
public static class AuditedWriteResultHttpExtensions
{
    /// <summary>Returns <paramref name="onSuccess"/>'s result when the write succeeded, otherwise <see cref="ToProblemResult"/>.</summary>
    /// <param name="result">The pipeline's result.</param>
    /// <param name="onSuccess">Builds the success response (for example <c>r =&gt; Results.Ok(r.Document)</c>).</param>
    /// <returns>The HTTP result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> or <paramref name="onSuccess"/> is <see langword="null"/>.</exception>
    public static IResult ToHttpResult(this AuditedWriteResult result, Func<AuditedWriteResult, IResult> onSuccess)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(onSuccess);
        return result.Succeeded ? onSuccess(result) : new AuditWriteProblemResult(result);
    }

    /// <summary>Returns the problem response of a refused write. The status comes from <see cref="AuditProblemOptions.StatusCodes"/>
    /// (a refusal it does not list gets <see cref="AuditProblemOptions.DefaultRefusalStatusCode"/>); the body carries the refusal's
    /// message and <c>audit_status</c>, plus <c>token_error</c> or <c>missing_permission</c> when known; 401 and 403 also carry
    /// an RFC 6750 <c>WWW-Authenticate</c> challenge.</summary>
    /// <param name="result">A refused write.</param>
    /// <returns>The HTTP result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="result"/> is a success.</exception>
    public static IResult ToProblemResult(this AuditedWriteResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Succeeded)
        {
            throw new ArgumentException("A successful write is not a problem.", nameof(result));
        }

        return new AuditWriteProblemResult(result);
    }
}
