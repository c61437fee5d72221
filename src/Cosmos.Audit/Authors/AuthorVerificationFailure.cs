namespace Cosmos.Audit.Authors;

/// <summary>Why an author string failed verification.</summary>
public enum AuthorVerificationFailure
{
    /// <summary>The author string verified.</summary>
    None = 0,

    /// <summary>The text is not a canonical author string (bad layout, bad escape, bad timestamp or signature encoding).</summary>
    Malformed,

    /// <summary>The signature names a key id that is not in the key ring (retired or never configured).</summary>
    UnknownKey,

    /// <summary>The signature does not match the text: the string was altered or signed with another secret.</summary>
    BadSignature,

    /// <summary>The signature is valid but older than <see cref="CosmosAuditOptions.AuthorStringMaxAge"/>.</summary>
    Expired,
}
