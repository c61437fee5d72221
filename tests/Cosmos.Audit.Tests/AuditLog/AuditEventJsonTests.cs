using System.Buffers;
using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Cosmos.Audit.Log.Internal;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cosmos.Audit.Tests.AuditLog;

public sealed class AuditEventJsonTests
{
    // Plain text, everything the default JSON encoder escapes, non-ASCII, a surrogate pair and lone surrogates.
    private static readonly char[] Alphabet =
    [
        'a', 'Z', '0', ' ', '-', '.', ':', '|', '(', ')', '~', '{', '}', '[', ']', '=', '_', '@', '#', '!', '$', '%', '*', ',', '/', ';', '?', '^',
        '"', '\\', '<', '>', '&', '\'', '+', '`', '\n', '\t', '\u0001', '\u007f',
        'é', 'ü', '中', '\ud83d', '\ude00', '\u2028',
    ];

    [Property(MaxTest = 1000, Replay = "20261130,5")]
    public Property SerializeToRented_AnyEvent_SameBytesAsUtf8JsonWriter()
    {
        return Prop.ForAll(Events().ToArbitrary(), auditEvent =>
        {
            var expected = Outcome(() => AuditEventJson.SerializeWithJsonWriter(auditEvent));
            var actual = Outcome(() =>
            {
                var rented = AuditEventJson.SerializeToRented(auditEvent, out var length);
                var bytes = rented.AsSpan(0, length).ToArray();
                ArrayPool<byte>.Shared.Return(rented);
                return bytes;
            });
            return expected == actual;
        });
    }

    [Fact]
    public void TryWriteDirect_PlainAsciiEvent_WritesTheWriterBytes()
    {
        var auditEvent = AuditEvents.Make(3, withDocuments: true);
        var buffer = new ArrayBufferWriter<byte>();

        Assert.True(AuditEventJson.TryWriteDirect(auditEvent, buffer));
        Assert.Equal(AuditEventJson.SerializeWithJsonWriter(auditEvent), buffer.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData("order<1>")]
    [InlineData("a+b")]
    [InlineData("quote\"d")]
    [InlineData("back\\slash")]
    [InlineData("commande-é")]
    [InlineData("line\nbreak")]
    public void TryWriteDirect_TextTheEncoderEscapes_RefusedAndSerializedByTheWriter(string documentId)
    {
        var auditEvent = With(AuditEvents.Make(1), documentId: documentId);

        Assert.False(AuditEventJson.TryWriteDirect(auditEvent, new ArrayBufferWriter<byte>()));
        var rented = AuditEventJson.SerializeToRented(auditEvent, out var length);
        Assert.Equal(AuditEventJson.SerializeWithJsonWriter(auditEvent), rented.AsSpan(0, length).ToArray());
        ArrayPool<byte>.Shared.Return(rented);
    }

    [Theory]
    [InlineData(0, "2026-01-01T00:00:00Z")]
    [InlineData(1, "2026-01-01T00:00:00.0000001Z")]
    [InlineData(10_000, "2026-01-01T00:00:00.001Z")]
    [InlineData(1_234_500, "2026-01-01T00:00:00.12345Z")]
    public void SerializeToRented_Timestamp_FractionTrimmedLikeTheWriter(long ticks, string expected)
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(ticks);
        var auditEvent = With(AuditEvents.Make(1), occurredAt: at);
        var buffer = new ArrayBufferWriter<byte>();

        Assert.True(AuditEventJson.TryWriteDirect(auditEvent, buffer));
        Assert.Contains($"\"at\":\"{expected}\"", System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), StringComparison.Ordinal);
        Assert.Equal(AuditEventJson.SerializeWithJsonWriter(auditEvent), buffer.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(998)]
    [InlineData(999)]
    [InlineData(1000)]
    public void SerializeToRented_DeeplyNestedDocument_SameOutcomeAsTheWriter(int depth)
    {
        var root = new JsonObject();
        var node = root;
        for (var i = 1; i < depth; i++)
        {
            var child = new JsonObject();
            node["n"] = child;
            node = child;
        }

        var auditEvent = With(AuditEvents.Make(1), after: root);

        Assert.Equal(
            Outcome(() => AuditEventJson.SerializeWithJsonWriter(auditEvent)),
            Outcome(() =>
            {
                var rented = AuditEventJson.SerializeToRented(auditEvent, out var length);
                return rented.AsSpan(0, length).ToArray();
            }));
    }

    private static string Outcome(Func<byte[]> serialize)
    {
        try
        {
            return Convert.ToHexString(serialize());
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return ex.GetType().Name;
        }
    }

    private static Gen<AuditEvent> Events()
    {
        var text = Gen.Frequency(
            (3, Gen.Elements("alice (alice123)|verified|ts:2026-01-01T00:00:00Z|sig:k1.Zm9v", "orders", "order-42", "", "x")),
            (2, Gen.Elements(Alphabet).ArrayOf().Select(chars => new string(chars))));
        var optionalText = Gen.Frequency((1, Gen.Constant<string?>(null)), (1, text.Select(s => (string?)s)));
        var document = Gen.Frequency(
            (2, Gen.Constant<JsonObject?>(null)),
            (1, Gen.Zip(text, text).Select(p => (JsonObject?)new JsonObject { [p.Item1] = p.Item2, ["n"] = new JsonArray(1, 2.5, true, null) })));
        var at = Gen.Zip(Gen.Zip(Gen.Choose(0, 400 * 365), Gen.Choose(0, 86_399)), Gen.Zip(Gen.Choose(0, 9_999_999), Gen.Choose(-14 * 60, 14 * 60)))
            .Select(t => new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.FromMinutes(t.Item2.Item2))
                .AddDays(t.Item1.Item1).AddSeconds(t.Item1.Item2).AddTicks(t.Item2.Item1 % 3 == 0 ? 0 : t.Item2.Item1));
        var action = Gen.Elements(Enum.GetValues<AuditAction>());
        var strings = Gen.Zip(Gen.Zip(text, text), text);
        var extras = Gen.Zip(Gen.Zip(optionalText, optionalText), document);
        var rest = Gen.Zip(Gen.Zip(at, action), document);
        return Gen.Zip(Gen.Zip(strings, extras), rest).Select(x => new AuditEvent
        {
            EventId = Guid.NewGuid(),
            Author = x.Item1.Item1.Item1.Item1,
            Collection = x.Item1.Item1.Item1.Item2,
            DocumentId = x.Item1.Item1.Item2,
            Reason = x.Item1.Item2.Item1.Item1,
            Target = x.Item1.Item2.Item1.Item2,
            Before = x.Item1.Item2.Item2,
            OccurredAt = x.Item2.Item1.Item1,
            Action = x.Item2.Item1.Item2,
            After = x.Item2.Item2,
        });
    }

    private static AuditEvent With(AuditEvent e, string? documentId = null, DateTimeOffset? occurredAt = null, JsonObject? after = null) => new()
    {
        EventId = e.EventId,
        Author = e.Author,
        Action = e.Action,
        Collection = e.Collection,
        DocumentId = documentId ?? e.DocumentId,
        OccurredAt = occurredAt ?? e.OccurredAt,
        Before = e.Before,
        After = after ?? e.After,
    };
}
