using Cosmos.Audit.Users;

namespace Cosmos.Audit.Tokens;

/// <summary>The first refresh token of a family, as handed to <see cref="IRefreshTokenStore.AddFamilyAsync"/>.</summary>
/// <param name="TokenHash">The SHA-256 (hex) of the token.</param>
/// <param name="FamilyId">The family's unique id.</param>
/// <param name="User">The signed-in user every token of the family renews.</param>
/// <param name="ExpiresAt">When this token expires.</param>
/// <param name="FamilyExpiresAt">When the family expires, whatever rotation happens: the absolute lifetime from sign-in.</param>
public sealed record RefreshTokenGrant(string TokenHash, string FamilyId, UserContext User, DateTimeOffset ExpiresAt, DateTimeOffset FamilyExpiresAt);
