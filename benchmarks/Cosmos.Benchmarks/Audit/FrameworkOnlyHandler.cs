using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cosmos.Benchmarks.Audit;

/// <summary>The ASP.NET Core authentication machinery alone: a scheme that reads nothing and returns a one-claim principal. What
/// any scheme derived from <see cref="AuthenticationHandler{TOptions}"/> pays at least, so the best a bearer scheme can do.</summary>
internal sealed class FrameworkOnlyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "FrameworkOnly";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var identity = new ClaimsIdentity(Name);
        identity.AddClaim(new Claim("sub", "alice123", ClaimValueTypes.String, ClaimsIdentity.DefaultIssuer, ClaimsIdentity.DefaultIssuer, identity));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
    }
}
