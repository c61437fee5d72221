using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Http;

/// <summary>Reads the Cosmos <see cref="UserContext"/> of a request.</summary>
public static class HttpContextUserContextExtensions
{
    /// <summary>Returns the user the Cosmos bearer scheme authenticated for this request, or <see langword="null"/> when the request
    /// was not authenticated by it.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The user, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static UserContext? GetUserContext(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<UserContextFeature>()?.User;
    }
}
