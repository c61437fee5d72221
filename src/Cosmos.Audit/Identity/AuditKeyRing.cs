using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Identity;

/// <summary>The signing keys of <see cref="CosmosAuditOptions.SigningKeys"/>, with one HKDF-derived subkey per purpose.</summary>
/// <remarks>Deriving a subkey per purpose separates domains: an HMAC made over an author string can never be replayed as a
/// JWT signature or the other way round, even though both come from the same configured secret.</remarks>
internal sealed class AuditKeyRing
{
    internal const string AuthorStringPurpose = "cosmos.audit.author-string.v1";
    internal const string AccessTokenPurpose = "cosmos.audit.access-token.v1";

    private readonly FrozenDictionary<string, byte[]> _authorKeys;
    private readonly FrozenDictionary<string, byte[]> _tokenKeys;

    public AuditKeyRing(IOptions<CosmosAuditOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        if (value.SigningKeys is null || value.SigningKeys.Count == 0)
        {
            throw new InvalidOperationException($"{nameof(CosmosAuditOptions)}.{nameof(CosmosAuditOptions.SigningKeys)} must contain at least one key.");
        }

        var author = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var token = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in value.SigningKeys)
        {
            if (!IdentityOptionsValidator.IsValidKeyId(key.Id)
                || !IdentityOptionsValidator.TryDecodeSecret(key.Secret, out var secret)
                || secret.Length < IdentityOptionsValidator.MinimumSecretBytes)
            {
                throw new InvalidOperationException($"{nameof(CosmosAuditOptions)}.{nameof(CosmosAuditOptions.SigningKeys)} key '{key.Id}' is invalid (id format or secret shorter than {IdentityOptionsValidator.MinimumSecretBytes} bytes).");
            }

            author[key.Id] = Derive(secret, AuthorStringPurpose);
            token[key.Id] = Derive(secret, AccessTokenPurpose);
            CryptographicOperations.ZeroMemory(secret);
        }

        _authorKeys = author.ToFrozenDictionary(StringComparer.Ordinal);
        _tokenKeys = token.ToFrozenDictionary(StringComparer.Ordinal);
        ActiveKeyId = value.ActiveSigningKeyId ?? value.SigningKeys[^1].Id;
        if (!_authorKeys.ContainsKey(ActiveKeyId))
        {
            throw new InvalidOperationException($"{nameof(CosmosAuditOptions)}.{nameof(CosmosAuditOptions.ActiveSigningKeyId)} '{ActiveKeyId}' is not a configured key.");
        }
    }

    /// <summary>Gets the id of the key that signs new values.</summary>
    public string ActiveKeyId { get; }

    public IEnumerable<KeyValuePair<string, byte[]>> TokenKeys => _tokenKeys;

    public byte[] ActiveAuthorKey => _authorKeys[ActiveKeyId];

    public byte[] ActiveTokenKey => _tokenKeys[ActiveKeyId];

    public bool TryGetAuthorKey(ReadOnlySpan<char> id, out byte[] key) =>
        _authorKeys.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(id, out key!);

    private static byte[] Derive(byte[] secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Encoding.UTF8.GetBytes(purpose));
}
