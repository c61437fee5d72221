namespace Cosmos.Audit.Tokens;

/// <summary>Stable names of <see cref="TokenFailureReason"/> values, for metrics tags, logs and machine-readable error bodies.</summary>
public static class TokenFailureReasonExtensions
{
    /// <summary>Returns the lower-case snake-case name of <paramref name="reason"/> (for example <c>invalid_signature</c>;
    /// <c>valid</c> for <see cref="TokenFailureReason.None"/>). The names do not change between versions.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The name; <c>unknown</c> for a value the enum does not define.</returns>
    public static string ToErrorCode(this TokenFailureReason reason) => reason switch
    {
        TokenFailureReason.Malformed => "malformed",
        TokenFailureReason.TooLarge => "too_large",
        TokenFailureReason.NoneAlgorithm => "unsigned",
        TokenFailureReason.AlgorithmNotAllowed => "algorithm_not_allowed",
        TokenFailureReason.KeyAlgorithmMismatch => "key_algorithm_mismatch",
        TokenFailureReason.UnknownKey => "unknown_key",
        TokenFailureReason.InvalidSignature => "invalid_signature",
        TokenFailureReason.MissingExpiry => "missing_expiry",
        TokenFailureReason.Expired => "expired",
        TokenFailureReason.NotYetValid => "not_yet_valid",
        TokenFailureReason.InvalidLifetime => "invalid_lifetime",
        TokenFailureReason.InvalidIssuer => "invalid_issuer",
        TokenFailureReason.InvalidAudience => "invalid_audience",
        TokenFailureReason.MissingUserId => "missing_user_id",
        TokenFailureReason.UnsupportedCriticalHeader => "unsupported_critical_header",
        TokenFailureReason.MalformedCriticalHeader => "malformed_critical_header",
        TokenFailureReason.None => "valid",
        _ => "unknown",
    };
}
