using Cosmos.Audit.AspNetCore.Internal;
using Cosmos.Audit.Tokens;

namespace Cosmos.Audit.AspNetCore.Tests.Internal;

public sealed class BearerChallengeTests
{
    [Fact]
    public void Build_NoParameters_IsBareBearer()
    {
        Assert.Equal("Bearer", BearerChallenge.Build(null, null, null, null));
    }

    [Fact]
    public void Build_AllParameters_InRfc6750OrderCommaSeparated()
    {
        Assert.Equal(
            "Bearer realm=\"r\", error=\"insufficient_scope\", error_description=\"d\", scope=\"documents.write\"",
            BearerChallenge.Build("r", "insufficient_scope", "d", "documents.write"));
    }

    [Theory]
    [InlineData("a\"b", "a?b")]
    [InlineData("a\\b", "a?b")]
    [InlineData("a\r\nSet-Cookie: x", "a??Set-Cookie: x")]
    [InlineData("Zoë", "Zo?")]
    public void Build_UnsafeCharacters_AreReplacedNotEscaped(string value, string written)
    {
        Assert.Equal($"Bearer error_description=\"{written}\"", BearerChallenge.Build(null, null, value, null));
    }

    [Fact]
    public void Describe_EveryReason_HasItsOwnSentence()
    {
        var reasons = Enum.GetValues<TokenFailureReason>().Where(r => r != TokenFailureReason.None).ToArray();

        var sentences = reasons.Select(BearerChallenge.Describe).ToArray();

        Assert.Equal(reasons.Length, sentences.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain("The token was rejected.", sentences);
    }
}
