using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Http;

/// <summary>An <see cref="IUserContextAccessor"/> whose current user is the request's authenticated user, unless code inside the
/// request opened its own <see cref="Use(UserContext)"/> scope, which wins until disposed.</summary>
/// <remarks>Authentication runs in middleware, and a value set on an <see cref="AsyncLocal{T}"/> inside a middleware's awaited
/// call does not flow out to the endpoint; the request feature does, for minimal APIs, MVC and anything the request awaits.</remarks>
internal sealed class HttpContextUserContextAccessor(IHttpContextAccessor httpContextAccessor) : IUserContextAccessor
{
    private readonly AsyncLocalUserContextAccessor _scopes = new();

    public UserContext? Current => _scopes.Current ?? httpContextAccessor.HttpContext?.Features.Get<UserContextFeature>()?.User;

    public IDisposable Use(UserContext user) => _scopes.Use(user);
}
