using System.Text.RegularExpressions;
using Cosmos.Audit.Authors;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Users;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;

namespace Cosmos.Audit.Tests.Authors;

public sealed class AuthorStringSignerTests
{
    private static readonly DateTimeOffset SignedAt = new(2025, 7, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(SignedAt);

    private AuthorStringSigner Signer(Action<Cosmos.Audit.CosmosAuditOptions>? configure = null) =>
        new(IdentityTestOptions.Wrap(configure), _time);

    [Fact]
    public void Sign_PersonUser_MatchesFirstSpecForm()
    {
        var text = Signer().Sign(new UserContext("alice123", "alice.smith"));

        Assert.Matches(new Regex(@"^alice\.smith \(alice123\)\|verified\|ts:2025-07-05T12:00:00Z\|sig:k1\.[A-Za-z0-9_-]{43}$"), text);
    }

    [Fact]
    public void Sign_ServiceAccount_MatchesSecondSpecForm()
    {
        var text = Signer().Sign(new UserContext("svc_deploy", "deployment-service") { IsServiceAccount = true });

        Assert.StartsWith("deployment-service (svc_deploy) [service]|verified|ts:2025-07-05T12:00:00Z|sig:k1.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_DelegatedServiceAccount_MatchesThirdSpecForm()
    {
        var user = new UserContext("svc_etl", "etl-service") { IsServiceAccount = true, Delegation = new Delegation("john.doe", "scheduled import") };

        var text = Signer().Sign(user);

        Assert.StartsWith("etl-service (svc_etl) [service] [delegated|on_behalf_of:john.doe|reason:scheduled import]|verified|ts:2025-07-05T12:00:00Z|sig:k1.", text, StringComparison.Ordinal);
        var result = Signer().Verify(text);
        Assert.True(result.IsValid);
        Assert.Equal(Author.FromUser(user, SignedAt), result.Author);
        Assert.Equal("k1", result.KeyId);
    }

    [Fact]
    public void Sign_NameWithSeparators_CannotImpersonateAServiceOrAnotherUser()
    {
        var signer = Signer();
        var user = new UserContext("x", "bob (admin) [service]|verified|ts:2020-01-01T00:00:00Z|sig:k1.AAAA\n%");

        var text = signer.Sign(user);
        var result = signer.Verify(text);

        Assert.True(result.IsValid);
        Assert.Equal(user.Username, result.Author!.Username);
        Assert.Equal("x", result.Author.UserId);
        Assert.False(result.Author.IsServiceAccount);
        Assert.DoesNotContain('\n', text);
        Assert.Equal(3, text.Count(c => c == '|')); // only the structural "|verified", "|ts:" and "|sig:" remain
    }

    [Property(MaxTest = 500, Replay = "20250705,1")]
    public Property Verify_RoundTrip_ForArbitraryNames()
    {
        var signer = Signer();
        var name = ArbMap.Default.GeneratorFor<NonEmptyString>().Select(s => s.Get);
        var delegation = Gen.OneOf(
            Gen.Constant<Delegation?>(null),
            name.SelectMany(o => name.Select(r => (Delegation?)new Delegation(o, r))),
            name.Select(o => (Delegation?)new Delegation(o)));
        var authors =
            from username in name
            from userId in name
            from service in ArbMap.Default.GeneratorFor<bool>()
            from d in delegation
            from seconds in Gen.Choose(0, int.MaxValue)
            select new Author(username, userId, DateTimeOffset.UnixEpoch.AddSeconds(seconds)) { IsServiceAccount = service, Delegation = d };

        return Prop.ForAll(authors.ToArbitrary(), author =>
        {
            var text = signer.Sign(author);
            var result = signer.Verify(text);
            return result.IsValid && result.Author == author
                && AuthorStringSigner.TryParseUnverified(text, out var parsed) && parsed == author;
        });
    }

    [Property(MaxTest = 2000, Replay = "7,11")]
    public Property Verify_AnySingleCharacterChanged_Fails()
    {
        var signer = Signer();
        var text = signer.Sign(new UserContext("svc_etl", "etl-service") { IsServiceAccount = true, Delegation = new Delegation("john.doe", "import") });
        var edits = from index in Gen.Choose(0, text.Length - 1)
                    from replacement in ArbMap.Default.GeneratorFor<char>()
                    where replacement != text[index]
                    select (index, replacement);

        return Prop.ForAll(edits.ToArbitrary(), edit =>
        {
            var tampered = string.Concat(text.AsSpan(0, edit.index), [edit.replacement], text.AsSpan(edit.index + 1));
            return !signer.Verify(tampered).IsValid;
        });
    }

    [Fact]
    public void Verify_EveryCharacterDeletedOrShifted_Fails()
    {
        var signer = Signer();
        var text = signer.Sign(new UserContext("svc_etl", "etl-service") { IsServiceAccount = true, Delegation = new Delegation("john.doe", "import") });

        // Exhaustively: every character deleted, and each character replaced by its neighbour code point.
        for (var i = 0; i < text.Length; i++)
        {
            Assert.False(signer.Verify(text.Remove(i, 1)).IsValid);
            Assert.False(signer.Verify(string.Concat(text.AsSpan(0, i), [(char)(text[i] + 1)], text.AsSpan(i + 1))).IsValid);
        }
    }

    [Property(MaxTest = 1000, Replay = "3,5")]
    public Property Verify_ArbitraryInput_NeverVerifiesAsAnotherAuthor()
    {
        var signer = Signer();
        var genuine = signer.Sign(new UserContext("alice123", "alice.smith"));
        var splice = from prefix in ArbMap.Default.GeneratorFor<string>()
                     from suffix in ArbMap.Default.GeneratorFor<string>()
                     select (prefix ?? "") + genuine + (suffix ?? "");

        return Prop.ForAll(ArbMap.Default.GeneratorFor<string>().Or(splice).ToArbitrary(), input =>
        {
            if (input is null)
            {
                return true;
            }

            var result = signer.Verify(input);
            return !result.IsValid || (input == genuine && result.Author!.UserId == "alice123");
        });
    }

    [Fact]
    public void Verify_UnknownKeyId_ReportsUnknownKey()
    {
        var text = Signer(o => o.SigningKeys = [AuditSigningKey.FromBytes("k2", IdentityTestOptions.Secret(2))]).Sign(new UserContext("a", "b"));

        var result = Signer().Verify(text);

        Assert.Equal(AuthorVerificationFailure.UnknownKey, result.Failure);
        Assert.Equal("k2", result.KeyId);
        Assert.Null(result.Author);
    }

    [Fact]
    public void Verify_SameKeyIdOtherSecret_ReportsBadSignature()
    {
        var text = Signer(o => o.SigningKeys = [AuditSigningKey.FromBytes("k1", IdentityTestOptions.Secret(9))]).Sign(new UserContext("a", "b"));

        Assert.Equal(AuthorVerificationFailure.BadSignature, Signer().Verify(text).Failure);
    }

    [Fact]
    public void Verify_AfterKeyRotation_OldStringsStillVerify()
    {
        var old = Signer().Sign(new UserContext("a", "b"));
        var rotated = Signer(o =>
        {
            o.SigningKeys.Add(AuditSigningKey.FromBytes("k2", IdentityTestOptions.Secret(2)));
            o.ActiveSigningKeyId = "k2";
        });

        var fresh = rotated.Sign(new UserContext("a", "b"));

        Assert.True(rotated.Verify(old).IsValid);
        Assert.Contains("|sig:k2.", fresh, StringComparison.Ordinal);
        Assert.True(rotated.Verify(fresh).IsValid);
    }

    [Fact]
    public void Verify_OlderThanMaxAge_ReportsExpired()
    {
        var signer = Signer(o => o.AuthorStringMaxAge = TimeSpan.FromHours(1));
        var text = signer.Sign(new UserContext("a", "b"));

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.True(signer.Verify(text).IsValid);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(AuthorVerificationFailure.Expired, signer.Verify(text).Failure);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice (a1)|verified|ts:2025-07-05T12:00:00Z")]
    [InlineData("alice (a1)|verified|ts:2025-07-05T12:00:00Z|sig:k1.short")]
    [InlineData("alice(a1)|verified|ts:2025-07-05T12:00:00Z|sig:k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("alice (a1) [admin]|verified|ts:2025-07-05T12:00:00Z|sig:k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("alice (a1)|verified|ts:2025-07-05 12:00:00Z|sig:k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%61lice (a1)|verified|ts:2025-07-05T12:00:00Z|sig:k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("al%ZZice (a1)|verified|ts:2025-07-05T12:00:00Z|sig:k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("alice (a1)|verified|ts:2025-07-05T12:00:00Z|sig:bad kid.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Verify_MalformedText_ReportsMalformed(string text)
    {
        Assert.Equal(AuthorVerificationFailure.Malformed, Signer().Verify(text).Failure);
    }

    [Fact]
    public void Sign_LoneSurrogateInName_IsEscapedAndRoundTrips()
    {
        var signer = Signer();
        var user = new UserContext("id\uD800", "name\uDC00x");

        var text = signer.Sign(user);

        Assert.Contains("%uD800", text, StringComparison.Ordinal);
        var result = signer.Verify(text);
        Assert.True(result.IsValid);
        Assert.Equal("name\uDC00x", result.Author!.Username);
        Assert.False(signer.Verify(text.Replace("%uD800", "%uD801", StringComparison.Ordinal)).IsValid);
    }

    [Fact]
    public void Constructor_EmptyKeyRing_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new AuthorStringSigner(Options.Create(new Cosmos.Audit.CosmosAuditOptions()), _time));
    }
}
