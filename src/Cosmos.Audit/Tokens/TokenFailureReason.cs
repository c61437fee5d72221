namespace Cosmos.Audit.Tokens;

/// <summary>Why an access token was rejected; each attack has its own reason.</summary>
public enum TokenFailureReason
{
    /// <summary>The token was accepted.</summary>
    None = 0,

    /// <summary>The token is not a compact signed JWT (bad base64url, bad JSON, encrypted, empty or non-ASCII).</summary>
    Malformed,

    /// <summary>The token is longer than <see cref="Identity.AuditJwtOptions.MaxTokenSizeInBytes"/>; rejected before parsing.</summary>
    TooLarge,

    /// <summary>The header says <c>alg: none</c> (or no algorithm): an unsigned token.</summary>
    NoneAlgorithm,

    /// <summary>The header algorithm is not in <see cref="Identity.AuditJwtOptions.ValidAlgorithms"/>.</summary>
    AlgorithmNotAllowed,

    /// <summary>The header names a key of another family than its algorithm, such as <c>HS256</c> with an RSA key id
    /// (an attempt to use the RSA public key as an HMAC secret).</summary>
    KeyAlgorithmMismatch,

    /// <summary>The header names a key id that is not configured (retired or foreign).</summary>
    UnknownKey,

    /// <summary>The signature does not match header and payload: the token was altered or signed with another key.</summary>
    InvalidSignature,

    /// <summary>The token has no <c>exp</c> claim.</summary>
    MissingExpiry,

    /// <summary>The token's <c>exp</c> is past (beyond the clock skew).</summary>
    Expired,

    /// <summary>The token's <c>nbf</c> is in the future (beyond the clock skew).</summary>
    NotYetValid,

    /// <summary>The <c>exp</c>/<c>nbf</c> pair is inconsistent (<c>nbf</c> after <c>exp</c>).</summary>
    InvalidLifetime,

    /// <summary>The <c>iss</c> claim is not the configured issuer.</summary>
    InvalidIssuer,

    /// <summary>The <c>aud</c> claim is not the configured audience.</summary>
    InvalidAudience,

    /// <summary>The token is valid but carries none of the user id claims of <see cref="Identity.JwtClaimMapping.UserId"/>.</summary>
    MissingUserId,

    /// <summary>The header's <c>crit</c> lists extension parameters this validator does not process (RFC 7515 §4.1.11):
    /// a recipient that does not understand a critical parameter must reject the token.</summary>
    UnsupportedCriticalHeader,

    /// <summary>The header's <c>crit</c> is malformed: not an array, empty, with a non-string, empty or duplicate entry, naming a
    /// parameter registered by RFC 7515/7516, or naming a parameter the header does not carry.</summary>
    MalformedCriticalHeader,
}
