using System.Buffers.Text;
using System.Collections.Frozen;
using System.Text.Json;

namespace Cosmos.Audit.Tokens;

public sealed partial class AccessTokenValidator
{
    // RFC 7515 §4.1.11: "crit" names header parameters that are extensions and that the recipient must understand and process;
    // a recipient that does not understand one of them must reject the JWS. This validator processes no extension parameter,
    // so every well-formed crit is refused as unsupported and every ill-formed one as malformed. JsonWebTokenHandler ignores
    // crit, so the check is ours. Tokens without crit (nearly all) pay one header lookup; only a token that carries crit is
    // decoded again here, with the exact JSON it was signed with.
    private static class CriticalHeader
    {
        public const string Name = "crit";

        // Parameters registered by RFC 7515 §4.1 and RFC 7516 §4.1: §4.1.11 forbids listing them in crit.
        private static readonly FrozenSet<string> s_registered = FrozenSet.ToFrozenSet(
            ["alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c"],
            StringComparer.Ordinal);

        public static TokenFailureReason Check(string encodedHeader)
        {
            byte[] json;
            try
            {
                json = Base64Url.DecodeFromChars(encodedHeader);
            }
            catch (FormatException)
            {
                return TokenFailureReason.Malformed;
            }

            try
            {
                using var header = JsonDocument.Parse(json);
                return Check(header.RootElement);
            }
            catch (JsonException)
            {
                return TokenFailureReason.Malformed;
            }
        }

        private static TokenFailureReason Check(JsonElement header)
        {
            if (header.ValueKind != JsonValueKind.Object)
            {
                return TokenFailureReason.Malformed;
            }

            JsonElement? crit = null;
            var members = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in header.EnumerateObject())
            {
                if (!members.Add(member.Name) && member.NameEquals(Name))
                {
                    // Two crit members: which one a library honours differs, so neither is trusted.
                    return TokenFailureReason.MalformedCriticalHeader;
                }

                if (member.NameEquals(Name))
                {
                    crit = member.Value;
                }
            }

            if (crit is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() == 0)
            {
                return TokenFailureReason.MalformedCriticalHeader;
            }

            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in list.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.String
                    || entry.GetString() is not { Length: > 0 } name
                    || !listed.Add(name)
                    || s_registered.Contains(name)
                    || !members.Contains(name))
                {
                    return TokenFailureReason.MalformedCriticalHeader;
                }
            }

            return TokenFailureReason.UnsupportedCriticalHeader;
        }
    }
}
