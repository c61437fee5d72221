using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Authentication;

/// <summary>The context of <see cref="CosmosBearerEvents.OnTokenValidated"/>: <see cref="ResultContext{TOptions}.Principal"/> is
/// the principal about to be set on the request.</summary>
/// <param name="context">The request.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="user">The user the token names.</param>
public sealed class CosmosBearerTokenValidatedContext(HttpContext context, AuthenticationScheme scheme, CosmosBearerOptions options, UserContext user)
    : ResultContext<CosmosBearerOptions>(context, scheme, options)
{
    /// <summary>Gets the user the token names.</summary>
    public UserContext User { get; } = user;
}
