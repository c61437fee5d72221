using System.Buffers.Text;
using System.Security.Cryptography;

namespace Cosmos.Audit.Log;

/// <summary>Signs and verifies audit log checkpoints with the checkpoint keys (HMAC-SHA256 or ECDSA P-256), by key id so keys can rotate.</summary>
public sealed class AuditCheckpointSigner : IDisposable
{
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
    private static readonly System.Buffers.SearchValues<char> KeyIdChars = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    private readonly Dictionary<string, (AuditCheckpointAlgorithm Algorithm, byte[]? Secret, ECDsa? Ecdsa, bool CanSign)> _keys = new(StringComparer.Ordinal);
    private readonly string _activeKeyId;

    /// <summary>Creates a signer from <paramref name="options"/>' keys.</summary>
    /// <param name="options">The keys and the active key id.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No keys, a duplicate or malformed key id, a secret shorter than 32 bytes, a key that is not
    /// P-256, or an active key id that is not listed (the message names the key).</exception>
    public AuditCheckpointSigner(AuditCheckpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = options.Keys ?? [];
        if (keys.Count == 0)
        {
            throw new ArgumentException("At least one checkpoint key is required.", nameof(options));
        }

        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i] ?? throw new ArgumentException($"The checkpoint key at index {i} is null.", nameof(options));
            if (!IsValidKeyId(key.Id) || !_keys.TryAdd(key.Id, default))
            {
                throw new ArgumentException($"The checkpoint key at index {i} has a missing, malformed or duplicate id '{key.Id}'.", nameof(options));
            }

            _keys[key.Id] = key.Algorithm switch
            {
                AuditCheckpointAlgorithm.HmacSha256 => (key.Algorithm, DecodeSecret(key, i, nameof(options)), null, true),
                AuditCheckpointAlgorithm.EcdsaP256Sha256 => LoadEcdsa(key, i, nameof(options)),
                _ => throw new ArgumentException($"The checkpoint key '{key.Id}' has an unknown algorithm.", nameof(options)),
            };
        }

        _activeKeyId = options.ActiveKeyId ?? keys[^1].Id;
        if (!_keys.TryGetValue(_activeKeyId, out var active))
        {
            throw new ArgumentException($"The active checkpoint key '{_activeKeyId}' is not among the keys.", nameof(options));
        }

        CanSign = active.CanSign;
    }

    /// <summary>Gets the id of the key that signs.</summary>
    public string ActiveKeyId => _activeKeyId;

    /// <summary>Gets a value indicating whether the active key can sign (an ECDSA key given only as a public key cannot).</summary>
    public bool CanSign { get; }

    /// <summary>Signs a checkpoint of log <paramref name="origin"/> at <paramref name="sequence"/> records ending in <paramref name="headHash"/>.</summary>
    /// <param name="origin">The log's name.</param>
    /// <param name="sequence">The number of records.</param>
    /// <param name="headHash">The last record's lowercase hex hash.</param>
    /// <param name="timestamp">When.</param>
    /// <returns>The signed checkpoint.</returns>
    /// <exception cref="ArgumentException"><paramref name="origin"/> is empty or contains a line break, or <paramref name="headHash"/> is not 64 lowercase hex digits.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The active key cannot sign.</exception>
    public AuditCheckpoint Sign(string origin, long sequence, string headHash, DateTimeOffset timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        if (origin.AsSpan().ContainsAny('\n', '\r'))
        {
            throw new ArgumentException("The origin must be one line.", nameof(origin));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        if (headHash is null || headHash.Length != 64 || headHash.AsSpan().ContainsAnyExcept(LowerHex))
        {
            throw new ArgumentException("The head hash must be 64 lowercase hex digits.", nameof(headHash));
        }

        var key = _keys[_activeKeyId];
        if (!key.CanSign)
        {
            throw new InvalidOperationException($"The active checkpoint key '{_activeKeyId}' holds no private key.");
        }

        timestamp = timestamp.ToUniversalTime();
        var text = AuditCheckpoint.SignedText(origin, sequence, headHash, timestamp, _activeKeyId);
        var signature = key.Algorithm == AuditCheckpointAlgorithm.HmacSha256
            ? HMACSHA256.HashData(key.Secret!, text)
            : key.Ecdsa!.SignData(text, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new AuditCheckpoint(origin, sequence, headHash, timestamp, _activeKeyId, key.Algorithm, Base64Url.EncodeToString(signature));
    }

    /// <summary>Checks a checkpoint's signature (constant time for HMAC): the key id must be known and its algorithm must match.</summary>
    /// <param name="checkpoint">The checkpoint.</param>
    /// <returns><see langword="true"/> when the signature is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="checkpoint"/> is <see langword="null"/>.</exception>
    public bool Verify(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!_keys.TryGetValue(checkpoint.KeyId, out var key) || key.Algorithm != checkpoint.Algorithm
            || checkpoint.Origin is null || checkpoint.HeadHash is null || checkpoint.Signature is null)
        {
            return false;
        }

        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(checkpoint.Signature);
        }
        catch (FormatException)
        {
            return false;
        }

        var text = AuditCheckpoint.SignedText(checkpoint.Origin, checkpoint.Sequence, checkpoint.HeadHash, checkpoint.Timestamp, checkpoint.KeyId);
        return key.Algorithm == AuditCheckpointAlgorithm.HmacSha256
            ? CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key.Secret!, text), signature)
            : key.Ecdsa!.VerifyData(text, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>Releases the ECDSA keys.</summary>
    public void Dispose()
    {
        foreach (var (_, key) in _keys)
        {
            key.Ecdsa?.Dispose();
            if (key.Secret is not null)
            {
                CryptographicOperations.ZeroMemory(key.Secret);
            }
        }
    }

    internal static bool IsValidKeyId(string? id) =>
        id is { Length: >= 1 and <= 64 } && !id.AsSpan().ContainsAnyExcept(KeyIdChars);

    internal static byte[] DecodeSecret(AuditCheckpointKey key, int index, string paramName)
    {
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(key.Secret ?? string.Empty);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"The checkpoint key '{key.Id}' (index {index}) has a secret that is not base64.", paramName, ex);
        }

        return secret.Length >= 32
            ? secret
            : throw new ArgumentException($"The checkpoint key '{key.Id}' (index {index}) needs a secret of at least 32 bytes.", paramName);
    }

    private static (AuditCheckpointAlgorithm, byte[]?, ECDsa?, bool) LoadEcdsa(AuditCheckpointKey key, int index, string paramName)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            var canSign = !string.IsNullOrEmpty(key.PrivateKeyPem);
            ecdsa.ImportFromPem(canSign ? key.PrivateKeyPem : key.PublicKeyPem ?? throw new ArgumentException($"The checkpoint key '{key.Id}' (index {index}) has no PEM key.", paramName));
            if (ecdsa.KeySize != 256)
            {
                throw new ArgumentException($"The checkpoint key '{key.Id}' (index {index}) is not on curve P-256.", paramName);
            }

            return (AuditCheckpointAlgorithm.EcdsaP256Sha256, null, ecdsa, canSign);
        }
        catch (CryptographicException ex)
        {
            ecdsa.Dispose();
            throw new ArgumentException($"The checkpoint key '{key.Id}' (index {index}) is not a valid PEM key.", paramName, ex);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }
}
