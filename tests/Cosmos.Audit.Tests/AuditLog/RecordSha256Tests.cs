using System.Security.Cryptography;
using Cosmos.Audit.Log.Internal;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cosmos.Audit.Tests.AuditLog;

public sealed class RecordSha256Tests
{
    [Fact]
    public void IsDirect_OnLinux_True()
    {
        // .NET's own cryptography on Linux needs libcrypto, so the direct digest must load there; elsewhere it is never used.
        Assert.Equal(OperatingSystem.IsLinux(), RecordSha256.IsDirect);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(64)]
    [InlineData(447)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(20_000)]
    public void Hash_AnyLength_SameAsSha256HashData(int length)
    {
        var data = Bytes(length, seed: length);
        var expected = SHA256.HashData(data);
        var actual = new byte[32];
        var managed = new byte[32];

        RecordSha256.Hash(data.AsSpan(0, length / 5), data.AsSpan(length / 5, length / 4), data.AsSpan((length / 5) + (length / 4)), actual);
        RecordSha256.HashManaged(data.AsSpan(0, length / 3), [], data.AsSpan(length / 3), [], managed);

        Assert.Equal(expected, actual);
        Assert.Equal(expected, managed);
    }

    [Property(MaxTest = 300, Replay = "20261130,11")]
    public Property Hash_AnySplitOfAnyInput_SameAsSha256HashDataOfTheWhole()
    {
        var input = Gen.Choose(0, 9000).SelectMany(length => Gen.Choose(0, length).SelectMany(a => Gen.Choose(a, length).SelectMany(
            b => Gen.Choose(b, length).Select(c => (Data: Bytes(length, seed: length + a), A: a, B: b, C: c)))));
        return Prop.ForAll(input.ToArbitrary(), x =>
        {
            var expected = SHA256.HashData(x.Data);
            var actual = new byte[32];
            var managed = new byte[32];
            var d = x.Data.AsSpan();
            RecordSha256.Hash(d[..x.A], d[x.A..x.B], d[x.B..x.C], d[x.C..], actual);
            RecordSha256.HashManaged(d[..x.A], d[x.A..x.B], d[x.B..x.C], d[x.C..], managed);
            return expected.AsSpan().SequenceEqual(actual) && expected.AsSpan().SequenceEqual(managed);
        });
    }

    [Fact]
    public void Hash_DestinationTooShort_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => RecordSha256.Hash([1], [2], [3], new byte[31]));
        Assert.Equal("destination", ex.ParamName);
    }

    private static byte[] Bytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
