namespace Cosmos.Audit.Authors;

/// <summary>The outcome of <see cref="AuthorStringSigner.Verify(string)"/>.</summary>
public sealed record AuthorVerificationResult
{
    private AuthorVerificationResult(AuthorVerificationFailure failure, Author? author, string? keyId)
    {
        Failure = failure;
        Author = author;
        KeyId = keyId;
    }

    /// <summary>Gets a value indicating whether the author string verified.</summary>
    public bool IsValid => Failure == AuthorVerificationFailure.None;

    /// <summary>Gets why verification failed, or <see cref="AuthorVerificationFailure.None"/>.</summary>
    public AuthorVerificationFailure Failure { get; }

    /// <summary>Gets the verified author; <see langword="null"/> unless <see cref="IsValid"/>.</summary>
    public Author? Author { get; }

    /// <summary>Gets the key id named by the signature, when the string could be parsed that far.</summary>
    public string? KeyId { get; }

    internal static AuthorVerificationResult Valid(Author author, string keyId) => new(AuthorVerificationFailure.None, author, keyId);

    internal static AuthorVerificationResult Failed(AuthorVerificationFailure failure, string? keyId = null) => new(failure, null, keyId);
}
