using Microsoft.Extensions.Internal;

namespace Cosmos.Audit.Identity;

/// <summary>Lets <see cref="Microsoft.Extensions.Caching.Memory.MemoryCache"/> expire entries on the injected <see cref="TimeProvider"/>.</summary>
internal sealed class TimeProviderClock(TimeProvider timeProvider) : ISystemClock
{
    public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
}
