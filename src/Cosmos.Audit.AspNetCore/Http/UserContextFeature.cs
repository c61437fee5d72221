using Cosmos.Audit.Users;

namespace Cosmos.Audit.AspNetCore.Http;

/// <summary>The request feature holding the <see cref="UserContext"/> the bearer handler authenticated.</summary>
internal sealed class UserContextFeature(UserContext user)
{
    public UserContext User { get; } = user;
}
