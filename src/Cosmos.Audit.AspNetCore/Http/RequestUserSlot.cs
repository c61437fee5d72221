using Cosmos.Audit.Users;

namespace Cosmos.Audit.AspNetCore.Http;

/// <summary>The place, ambient for one request, where the bearer handler leaves the user it authenticated, so that
/// <see cref="HttpContextUserContextAccessor"/> finds it anywhere the request's code runs.</summary>
/// <remarks>A value set on an <see cref="AsyncLocal{T}"/> inside the authentication middleware's awaited call does not flow out
/// to the endpoint, so <see cref="RequestUserStartupFilter"/> puts an empty slot in place before the pipeline runs and the handler
/// fills it. The slot is emptied when the request ends: work that outlives the request (and captured its execution context) then
/// sees no user instead of a stale one. This replaces <c>IHttpContextAccessor</c>, whose registration stops Kestrel from reusing
/// <c>HttpContext</c> objects between requests.</remarks>
internal sealed class RequestUserSlot
{
    private static readonly AsyncLocal<RequestUserSlot?> Ambient = new();

    /// <summary>Gets the slot of the request being served on this flow, if the slot middleware runs in this pipeline.</summary>
    public static RequestUserSlot? Current => Ambient.Value;

    public UserContext? User { get; set; }

    /// <summary>Serves <paramref name="context"/> with an empty slot ambient, emptied again when the request ends.</summary>
    public static async Task ServeAsync(Microsoft.AspNetCore.Http.HttpContext context, Microsoft.AspNetCore.Http.RequestDelegate next)
    {
        // The ambient value is set inside this async method, so it is undone for the caller when the method returns.
        var slot = new RequestUserSlot();
        Ambient.Value = slot;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            slot.User = null;
        }
    }
}
