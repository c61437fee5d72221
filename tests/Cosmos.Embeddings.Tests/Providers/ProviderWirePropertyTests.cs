using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Cosmos.Embeddings.Providers.Internal;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cosmos.Embeddings.Tests.Providers;

public sealed class ProviderWirePropertyTests
{
    [Property(MaxTest = 300, Replay = "(20261123,7)")]
    public void DecodeBase64_AnyFloat32BitPatterns_RoundTripsBitExactly(int[] bits)
    {
        var bytes = new byte[bits.Length * 4];
        for (int i = 0; i < bits.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), bits[i]);
        }

        var decoded = EmbeddingVectorJsonConverter.DecodeBase64(bytes);

        Assert.Equal(bits, decoded.Select(BitConverter.SingleToInt32Bits));
    }

    [Property(MaxTest = 300, Replay = "(20261123,7)", Arbitrary = [typeof(WireArbitraries)])]
    public void Read_FiniteFloatsAsJsonNumbersOrBase64_GivesTheSameVector(FiniteFloats finite)
    {
        var vector = finite.Values;
        var bytes = new byte[vector.Length * 4];
        for (int i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), vector[i]);
        }

        var fromNumbers = ReadVector(JsonSerializer.Serialize(vector));
        var fromBase64 = ReadVector(JsonSerializer.Serialize(Convert.ToBase64String(bytes)));

        Assert.Equal(vector, fromNumbers);
        Assert.Equal(vector.Select(BitConverter.SingleToInt32Bits), fromBase64.Select(BitConverter.SingleToInt32Bits));
    }

    [Property(MaxTest = 300, Replay = "(20261123,7)", Arbitrary = [typeof(WireArbitraries)])]
    public void ParseRetryAfter_AnyHttpDate_IsTheDistanceFromTheClockAndNeverNegative(SecondsFromNow offset)
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var seconds = offset.Seconds;
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", now.AddSeconds(seconds).ToString("r", CultureInfo.InvariantCulture));

        var wait = ProviderHttpTransport.ParseRetryAfter(response, now);

        Assert.Equal(TimeSpan.FromSeconds(Math.Max(0, seconds)), wait);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("NaN")]
    public void ParseRetryAfter_UnusableMilliseconds_FallsBackToRetryAfter(string milliseconds)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("retry-after-ms", milliseconds);
        response.Headers.TryAddWithoutValidation("Retry-After", "4");

        Assert.Equal(TimeSpan.FromSeconds(4), ProviderHttpTransport.ParseRetryAfter(response, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void ParseRetryAfter_NoHeaders_IsNull()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        Assert.Null(ProviderHttpTransport.ParseRetryAfter(response, DateTimeOffset.UnixEpoch));
    }

    private static float[] ReadVector(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return new EmbeddingVectorJsonConverter().Read(ref reader, typeof(float[]), JsonSerializerOptions.Default)!;
    }

    public sealed record FiniteFloats(float[] Values);

    public sealed record SecondsFromNow(int Seconds);

    public static class WireArbitraries
    {
        public static Arbitrary<FiniteFloats> Finite() =>
            ArbMap.Default.GeneratorFor<float>().Where(float.IsFinite).ArrayOf().Select(v => new FiniteFloats(v)).ToArbitrary();

        public static Arbitrary<SecondsFromNow> WithinADay() =>
            Gen.Choose(-86_400, 86_400).Select(s => new SecondsFromNow(s)).ToArbitrary();
    }
}
