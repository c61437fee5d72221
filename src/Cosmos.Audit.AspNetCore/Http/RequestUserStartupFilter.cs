using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Cosmos.Audit.AspNetCore.Http;

/// <summary>Puts <see cref="RequestUserSlot.ServeAsync"/> first in the request pipeline, ahead of authentication.</summary>
internal sealed class RequestUserStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(RequestUserSlot.ServeAsync);
        next(app);
    };
}
