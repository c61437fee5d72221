using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Authentication;

/// <summary>The context of <see cref="CosmosBearerEvents.OnMessageReceived"/>.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
public sealed class CosmosBearerMessageReceivedContext(HttpContext context, AuthenticationScheme scheme, CosmosBearerOptions options)
    : ResultContext<CosmosBearerOptions>(context, scheme, options)
{
    /// <summary>Gets or sets the token to validate instead of the <c>Authorization: Bearer</c> header's; <see langword="null"/>
    /// reads the header.</summary>
    public string? Token { get; set; }
}
