using Cosmos.Audit.Identity;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit;

/// <summary>Identity settings: signing keys, JWT validation and issuing, author strings and role permissions.</summary>
public sealed partial class CosmosAuditOptions
{
    /// <summary>Gets or sets the HMAC signing keys, each with an id so keys can rotate: sign with
    /// <see cref="ActiveSigningKeyId"/>, keep older keys listed until what they signed has expired.</summary>
    /// <remarks>One key ring serves author strings and access tokens; each purpose derives its own subkey (HKDF-SHA256),
    /// so a signature made for one purpose never verifies for the other.</remarks>
    /// <value>The default value is an empty list; at least one key is required.</value>
    [ValidateEnumeratedItems]
    public IList<AuditSigningKey> SigningKeys { get; set; } = [];

    /// <summary>Gets or sets the id of the key in <see cref="SigningKeys"/> that signs new author strings and tokens.</summary>
    /// <value>The default value is <see langword="null"/>, meaning the last key in <see cref="SigningKeys"/>.</value>
    public string? ActiveSigningKeyId { get; set; }

    /// <summary>Gets or sets the JWT validation and issuing settings.</summary>
    /// <value>The default value is an <see cref="AuditJwtOptions"/> with its documented defaults.</value>
    [ValidateObjectMembers]
    public AuditJwtOptions Jwt { get; set; } = new();

    /// <summary>Gets or sets the longest time after signing that an author string still verifies;
    /// <see langword="null"/> means author strings never expire.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? AuthorStringMaxAge { get; set; }

    /// <summary>Gets or sets the permissions granted by each role (role name → permission names, ordinal comparison).
    /// The permission <c>*</c> grants every permission.</summary>
    /// <value>The default value is an empty map (no role grants anything).</value>
    public IDictionary<string, IList<string>> RolePermissions { get; set; } = new Dictionary<string, IList<string>>(StringComparer.Ordinal);
}
