using Cosmos.Audit.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Authentication;

/// <summary>The context of <see cref="CosmosBearerEvents.OnAuthenticationFailed"/>.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="failure">Why the token was rejected.</param>
public sealed class CosmosBearerAuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, CosmosBearerOptions options, TokenFailureReason failure)
    : ResultContext<CosmosBearerOptions>(context, scheme, options)
{
    /// <summary>Gets why the token was rejected.</summary>
    public TokenFailureReason Failure { get; } = failure;
}
