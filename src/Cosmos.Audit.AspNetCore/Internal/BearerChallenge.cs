using System.Text;
using Cosmos.Audit.Tokens;

namespace Cosmos.Audit.AspNetCore.Internal;

/// <summary>Builds RFC 6750 §3 <c>WWW-Authenticate</c> values and the human text of each token failure.</summary>
internal static class BearerChallenge
{
    public const string Scheme = "Bearer";
    public const string InvalidToken = "invalid_token";
    public const string InsufficientScope = "insufficient_scope";

    /// <summary>Builds <c>Bearer realm="…", error="…", error_description="…", scope="…"</c>, leaving out absent parameters.
    /// A request without credentials gets a bare <c>Bearer</c> (RFC 6750 §3.1: no error code in that case).</summary>
    public static string Build(string? realm, string? error, string? description, string? scope)
    {
        var builder = new StringBuilder(Scheme);
        var first = true;
        Append(builder, ref first, "realm", realm);
        Append(builder, ref first, "error", error);
        Append(builder, ref first, "error_description", description);
        Append(builder, ref first, "scope", scope);
        return builder.ToString();
    }

    // Quoted-string values: RFC 6750 allows %x20-21 / %x23-5B / %x5D-7E in error_description and scope, so anything else
    // (quotes, backslashes, control characters, non-ASCII) is replaced rather than escaped: a header is never split or forged.
    private static void Append(StringBuilder builder, ref bool first, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        builder.Append(first ? " " : ", ").Append(name).Append("=\"");
        foreach (var c in value)
        {
            builder.Append(c is >= '\x20' and <= '\x7E' and not '"' and not '\\' ? c : '?');
        }

        builder.Append('"');
        first = false;
    }

    /// <summary>One sentence per failure, safe to send to the caller: it never repeats the token or its claims.</summary>
    public static string Describe(TokenFailureReason reason) => reason switch
    {
        TokenFailureReason.Malformed => "The token is not a well-formed signed JWT.",
        TokenFailureReason.TooLarge => "The token is too large.",
        TokenFailureReason.NoneAlgorithm => "The token is not signed.",
        TokenFailureReason.AlgorithmNotAllowed => "The token's signing algorithm is not accepted.",
        TokenFailureReason.KeyAlgorithmMismatch => "The token's key does not belong to its signing algorithm.",
        TokenFailureReason.UnknownKey => "The token's signing key is not known.",
        TokenFailureReason.InvalidSignature => "The token's signature is invalid.",
        TokenFailureReason.MissingExpiry => "The token has no expiration time.",
        TokenFailureReason.Expired => "The token has expired.",
        TokenFailureReason.NotYetValid => "The token is not valid yet.",
        TokenFailureReason.InvalidLifetime => "The token's lifetime is invalid.",
        TokenFailureReason.InvalidIssuer => "The token's issuer is not accepted.",
        TokenFailureReason.InvalidAudience => "The token's audience is not accepted.",
        TokenFailureReason.MissingUserId => "The token does not name a user.",
        TokenFailureReason.UnsupportedCriticalHeader => "The token lists critical header parameters that are not supported.",
        TokenFailureReason.MalformedCriticalHeader => "The token's critical header parameter list is malformed.",
        _ => "The token was rejected.",
    };
}
