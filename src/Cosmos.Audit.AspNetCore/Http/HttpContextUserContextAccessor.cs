using Cosmos.Audit.Users;
using Microsoft.AspNetCore.Http;

namespace Cosmos.Audit.AspNetCore.Http;

/// <summary>An <see cref="IUserContextAccessor"/> whose current user is the request's authenticated user, unless code inside the
/// request opened its own <see cref="Use(UserContext)"/> scope, which wins until disposed.</summary>
/// <remarks>The request's user is found in its <see cref="RequestUserSlot"/>; a host whose pipeline was built without startup
/// filters (so without the slot) is still served through <see cref="IHttpContextAccessor"/> when the host registered one.</remarks>
internal sealed class HttpContextUserContextAccessor(IHttpContextAccessor? httpContextAccessor = null) : IUserContextAccessor
{
    private readonly AsyncLocalUserContextAccessor _scopes = new();

    public UserContext? Current =>
        _scopes.Current
        ?? (RequestUserSlot.Current is { } slot ? slot.User : httpContextAccessor?.HttpContext?.Features.Get<UserContextFeature>()?.User);

    public IDisposable Use(UserContext user) => _scopes.Use(user);
}
