using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Users;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Authors;

/// <summary>Formats, parses and verifies signed author strings such as
/// <c>alice.smith (alice123)|verified|ts:2025-07-05T12:00:00Z|sig:k1.&lt;base64url&gt;</c>.</summary>
/// <remarks>
/// <para>The signature is <c>sig:&lt;key id&gt;.&lt;base64url(HMAC-SHA256(subkey, UTF-8 of everything before "|sig:"))&gt;</c>.
/// The key id lets keys rotate: new strings are signed with <see cref="CosmosAuditOptions.ActiveSigningKeyId"/>, strings
/// signed with an older key verify as long as that key stays in <see cref="CosmosAuditOptions.SigningKeys"/>. The HMAC key is
/// derived from the configured secret with HKDF-SHA256 for this purpose only. Signatures are compared in constant time.</para>
/// <para>Separator characters inside names are percent-escaped and only the canonical text parses, so no name can make a
/// string that parses as a different author; any change to a signed string fails verification.</para>
/// </remarks>
public sealed class AuthorStringSigner
{
    private const int SignatureChars = 43; // base64url of 32 bytes, no padding

    private readonly AuditKeyRing _keys;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan? _maxAge;
    private readonly string _signaturePrefix;

    /// <summary>Creates a signer over the key ring of <paramref name="options"/>.</summary>
    /// <param name="options">The options holding <see cref="CosmosAuditOptions.SigningKeys"/>.</param>
    /// <param name="timeProvider">The clock for signing times and the maximum age.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The key ring is empty or invalid.</exception>
    public AuthorStringSigner(IOptions<CosmosAuditOptions> options, TimeProvider timeProvider)
        : this(new AuditKeyRing(options), options.Value.AuthorStringMaxAge, timeProvider)
    {
    }

    internal AuthorStringSigner(AuditKeyRing keys, TimeSpan? maxAge, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _keys = keys;
        _maxAge = maxAge;
        _timeProvider = timeProvider;
        _signaturePrefix = AuthorStringFormat.SignatureMarker + keys.ActiveKeyId + ".";
    }

    /// <summary>Signs the author of a change made now by <paramref name="user"/>.</summary>
    /// <param name="user">The acting user.</param>
    /// <returns>The signed author string.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="user"/> is <see langword="null"/>.</exception>
    public string Sign(UserContext user) => Sign(Author.FromUser(user, _timeProvider.GetUtcNow()));

    /// <summary>Signs <paramref name="author"/> with the active key.</summary>
    /// <param name="author">The author.</param>
    /// <returns>The signed author string.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="author"/> is <see langword="null"/>.</exception>
    public string Sign(Author author)
    {
        ArgumentNullException.ThrowIfNull(author);
        var payload = AuthorStringFormat.FormatPayload(author);
        Span<char> signature = stackalloc char[SignatureChars];
        ComputeSignature(_keys.ActiveAuthorKey, payload, signature);
        return string.Concat(payload, _signaturePrefix, signature);
    }

    /// <summary>Verifies a signed author string and returns the author it names, or why it failed.</summary>
    /// <param name="authorString">The text to verify.</param>
    /// <returns>The result; <see cref="AuthorVerificationResult.Author"/> is set only when it verified.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="authorString"/> is <see langword="null"/>.</exception>
    public AuthorVerificationResult Verify(string authorString)
    {
        ArgumentNullException.ThrowIfNull(authorString);
        if (!TrySplit(authorString, out var payload, out var keyId, out var signature)
            || !AuthorStringFormat.TryParsePayload(payload, out var author))
        {
            return AuthorVerificationResult.Failed(AuthorVerificationFailure.Malformed);
        }

        var keyIdText = keyId.ToString();
        if (!_keys.TryGetAuthorKey(keyId, out var key))
        {
            return AuthorVerificationResult.Failed(AuthorVerificationFailure.UnknownKey, keyIdText);
        }

        Span<char> expected = stackalloc char[SignatureChars];
        ComputeSignature(key, payload, expected);

        // Comparing the base64url text (not decoded bytes) also rejects strings whose last character differs only in unused bits.
        if (!CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected), MemoryMarshal.AsBytes(signature)))
        {
            return AuthorVerificationResult.Failed(AuthorVerificationFailure.BadSignature, keyIdText);
        }

        if (_maxAge is { } maxAge && _timeProvider.GetUtcNow() - author.SignedAt > maxAge)
        {
            return AuthorVerificationResult.Failed(AuthorVerificationFailure.Expired, keyIdText);
        }

        return AuthorVerificationResult.Valid(author, keyIdText);
    }

    /// <summary>Parses an author string without checking its signature; use only for display, never for trust.</summary>
    /// <param name="authorString">The text to parse.</param>
    /// <param name="author">The author named by the text.</param>
    /// <returns><see langword="true"/> when the text is a canonical author string with a well-formed signature field.</returns>
    public static bool TryParseUnverified(string? authorString, [NotNullWhen(true)] out Author? author)
    {
        author = null;
        return authorString is not null
            && TrySplit(authorString, out var payload, out _, out _)
            && AuthorStringFormat.TryParsePayload(payload, out author);
    }

    private static bool TrySplit(string text, out string payload, out ReadOnlySpan<char> keyId, out ReadOnlySpan<char> signature)
    {
        payload = "";
        keyId = default;
        signature = default;
        var at = text.LastIndexOf(AuthorStringFormat.SignatureMarker, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        var field = text.AsSpan(at + AuthorStringFormat.SignatureMarker.Length);
        var dot = field.IndexOf('.');
        if (dot < 1 || field.Length - dot - 1 != SignatureChars || !IdentityOptionsValidator.IsValidKeyId(field[..dot].ToString()))
        {
            return false;
        }

        payload = text[..at];
        keyId = field[..dot];
        signature = field[(dot + 1)..];
        return true;
    }

    private static void ComputeSignature(byte[] key, string payload, Span<char> destination)
    {
        var length = Encoding.UTF8.GetMaxByteCount(payload.Length);
        byte[]? rented = null;
        var buffer = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(payload, buffer);
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(key, buffer[..written], mac);
            Base64Url.EncodeToChars(mac, destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
