using Cosmos.Audit.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Authentication;

/// <summary>The context of <see cref="CosmosBearerEvents.OnChallenge"/>.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="properties">The challenge's authentication properties.</param>
/// <param name="failure">Why the presented token was rejected; <see langword="null"/> when no token was presented.</param>
public sealed class CosmosBearerChallengeContext(
    HttpContext context, AuthenticationScheme scheme, CosmosBearerOptions options, AuthenticationProperties properties, TokenFailureReason? failure)
    : PropertiesContext<CosmosBearerOptions>(context, scheme, options, properties)
{
    /// <summary>Gets why the presented token was rejected; <see langword="null"/> when no token was presented.</summary>
    public TokenFailureReason? Failure { get; } = failure;

    /// <summary>Gets a value indicating whether the hook wrote the response itself (see <see cref="HandleResponse"/>).</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the scheme's 401 response: the hook writes its own.</summary>
    public void HandleResponse() => Handled = true;
}
