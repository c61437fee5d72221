using System.Text.Json.Nodes;
using Cosmos.Audit.Stamping;
using Cosmos.Audit.Users;
using Microsoft.Extensions.Time.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cosmos.Audit.Tests.Stamping;

public sealed class AuditStamperJsonTests
{
    private static readonly UserContext Alice = new("alice123", "alice.smith");
    private static readonly UserContext Bob = new("bob7", "bob");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 30, 15, TimeSpan.FromHours(2)).AddTicks(1234567));
    private readonly AuditStamper _stamper;

    public AuditStamperJsonTests()
    {
        _stamper = new AuditStamper(_time);
    }

    private static JsonObject Forged() => new()
    {
        ["title"] = "hello",
        [AuditFields.CreatedBy] = "mallory",
        [AuditFields.CreatedByUsername] = "mallory",
        [AuditFields.CreatedAt] = "1999-01-01T00:00:00.0000000Z",
        [AuditFields.UpdatedBy] = "mallory",
        [AuditFields.UpdatedByUsername] = "mallory",
        [AuditFields.UpdatedAt] = "1999-01-01T00:00:00.0000000Z",
        [AuditFields.Deleted] = true,
        [AuditFields.DeletedBy] = "mallory",
        [AuditFields.DeletedByUsername] = "mallory",
        [AuditFields.DeletedAt] = "1999-01-01T00:00:00.0000000Z",
    };

    [Fact]
    public void StampCreate_ForgedAuditFields_AllTenReplaced()
    {
        var document = Forged();

        _stamper.StampCreate(document, Alice);

        Assert.Equal("hello", (string?)document["title"]);
        Assert.Equal("alice123", (string?)document[AuditFields.CreatedBy]);
        Assert.Equal("alice.smith", (string?)document[AuditFields.CreatedByUsername]);
        Assert.Equal("2026-03-01T07:30:15.1234567Z", (string?)document[AuditFields.CreatedAt]);
        Assert.Equal("alice123", (string?)document[AuditFields.UpdatedBy]);
        Assert.Equal("alice.smith", (string?)document[AuditFields.UpdatedByUsername]);
        Assert.Equal("2026-03-01T07:30:15.1234567Z", (string?)document[AuditFields.UpdatedAt]);
        Assert.False((bool)document[AuditFields.Deleted]!);
        Assert.Null(document[AuditFields.DeletedBy]);
        Assert.Null(document[AuditFields.DeletedByUsername]);
        Assert.Null(document[AuditFields.DeletedAt]);
        Assert.All(AuditFields.All, name => Assert.True(document.ContainsKey(name), name));
    }

    [Fact]
    public void StampUpdate_AfterCreate_KeepsCreatedFieldsAndStampsUpdated()
    {
        var stored = new JsonObject { ["title"] = "v1" };
        _stamper.StampCreate(stored, Alice);
        _time.Advance(TimeSpan.FromMinutes(5));
        var incoming = Forged();
        incoming["title"] = "v2";

        _stamper.StampUpdate(incoming, stored, Bob);

        Assert.Equal("v2", (string?)incoming["title"]);
        Assert.Equal("alice123", (string?)incoming[AuditFields.CreatedBy]);
        Assert.Equal("alice.smith", (string?)incoming[AuditFields.CreatedByUsername]);
        Assert.Equal("2026-03-01T07:30:15.1234567Z", (string?)incoming[AuditFields.CreatedAt]);
        Assert.Equal("bob7", (string?)incoming[AuditFields.UpdatedBy]);
        Assert.Equal("bob", (string?)incoming[AuditFields.UpdatedByUsername]);
        Assert.Equal("2026-03-01T07:35:15.1234567Z", (string?)incoming[AuditFields.UpdatedAt]);
        Assert.False((bool)incoming[AuditFields.Deleted]!, "a client must not be able to delete through an update");
        Assert.Null(incoming[AuditFields.DeletedBy]);
    }

    [Fact]
    public void StampUpdate_WithoutStored_RemovesCreatedAndDeletedFields()
    {
        var incoming = Forged();

        _stamper.StampUpdate(incoming, stored: null, Bob);

        foreach (var name in new[] { AuditFields.CreatedBy, AuditFields.CreatedByUsername, AuditFields.CreatedAt, AuditFields.Deleted, AuditFields.DeletedBy, AuditFields.DeletedByUsername, AuditFields.DeletedAt })
        {
            Assert.False(incoming.ContainsKey(name), name);
        }

        Assert.Equal("bob7", (string?)incoming[AuditFields.UpdatedBy]);
    }

    [Fact]
    public void StampUpdate_StoredDocumentIsNotAliased()
    {
        var stored = new JsonObject();
        _stamper.StampCreate(stored, Alice);
        var incoming = new JsonObject();

        _stamper.StampUpdate(incoming, stored, Bob);
        incoming[AuditFields.CreatedBy] = "changed later";

        Assert.Equal("alice123", (string?)stored[AuditFields.CreatedBy]);
    }

    [Fact]
    public void StampDelete_ThenRestore_IsSoftAndAudited()
    {
        var document = new JsonObject { ["title"] = "x" };
        _stamper.StampCreate(document, Alice);
        _time.Advance(TimeSpan.FromHours(1));

        _stamper.StampDelete(document, Bob);

        Assert.True(AuditStamper.IsDeleted(document));
        Assert.Equal("x", (string?)document["title"]);
        Assert.Equal("bob7", (string?)document[AuditFields.DeletedBy]);
        Assert.Equal("bob", (string?)document[AuditFields.DeletedByUsername]);
        Assert.Equal("2026-03-01T08:30:15.1234567Z", (string?)document[AuditFields.DeletedAt]);
        Assert.Equal("bob7", (string?)document[AuditFields.UpdatedBy]);
        Assert.Equal("alice123", (string?)document[AuditFields.CreatedBy]);

        _time.Advance(TimeSpan.FromHours(1));
        _stamper.StampRestore(document, Alice);

        Assert.False(AuditStamper.IsDeleted(document));
        Assert.Null(document[AuditFields.DeletedBy]);
        Assert.Null(document[AuditFields.DeletedAt]);
        Assert.Equal("alice123", (string?)document[AuditFields.UpdatedBy]);
        Assert.Equal("2026-03-01T09:30:15.1234567Z", (string?)document[AuditFields.UpdatedAt]);
    }

    [Fact]
    public void StampDelete_AlreadyDeleted_ThrowsAndKeepsFirstDeleter()
    {
        var document = new JsonObject();
        _stamper.StampCreate(document, Alice);
        _stamper.StampDelete(document, Alice);

        Assert.Throws<InvalidOperationException>(() => _stamper.StampDelete(document, Bob));
        Assert.Equal("alice123", (string?)document[AuditFields.DeletedBy]);
    }

    [Fact]
    public void StampRestore_NotDeleted_Throws()
    {
        var document = new JsonObject();
        _stamper.StampCreate(document, Alice);

        Assert.Throws<InvalidOperationException>(() => _stamper.StampRestore(document, Bob));
    }

    [Fact]
    public void StampUpdate_OfDeletedDocument_KeepsDeletion()
    {
        var stored = new JsonObject();
        _stamper.StampCreate(stored, Alice);
        _stamper.StampDelete(stored, Alice);
        var incoming = new JsonObject { [AuditFields.Deleted] = false, [AuditFields.DeletedBy] = null };

        _stamper.StampUpdate(incoming, stored, Bob);

        Assert.True(AuditStamper.IsDeleted(incoming));
        Assert.Equal("alice123", (string?)incoming[AuditFields.DeletedBy]);
    }

    [Fact]
    public void StampCreate_AuditFieldInOtherCasing_IsRemoved()
    {
        var document = new JsonObject { ["_Created_By"] = "mallory", ["_DELETED"] = true, ["_custom"] = 1 };

        _stamper.StampCreate(document, Alice);

        Assert.False(document.ContainsKey("_Created_By"));
        Assert.False(document.ContainsKey("_DELETED"));
        Assert.True(document.ContainsKey("_custom"));
    }

    [Fact]
    public void StampCreate_WithoutUser_UsesAccessorOrThrows()
    {
        var accessor = new AsyncLocalUserContextAccessor();
        var stamper = new AuditStamper(_time, accessor);

        Assert.Throws<InvalidOperationException>(() => stamper.StampCreate(new JsonObject()));
        using (accessor.Use(Bob))
        {
            var document = new JsonObject();
            stamper.StampCreate(document);
            Assert.Equal("bob7", (string?)document[AuditFields.CreatedBy]);
        }
    }

    [Property(MaxTest = 200, Replay = "12345,67")]
    public Property Law_CreateThenUpdates_CreatedFieldsNeverChangeAndForgeriesNeverSurvive()
    {
        var values = Gen.Elements("mallory", "", "1999-01-01T00:00:00Z", "alice123").Select(v => (JsonNode?)v)
            .Or(Gen.Constant<JsonNode?>(null)).Or(Gen.Elements(true, false).Select(b => (JsonNode?)b));
        var forgery = Gen.Choose(0, AuditFields.All.Count - 1).SelectMany(i => values.Select(v => (Name: AuditFields.All[i], Value: v))).ArrayOf();
        var updates = forgery.ArrayOf().Select(u => u.Take(4).ToArray());

        return Prop.ForAll(forgery.ToArbitrary(), updates.ToArbitrary(), (created, later) =>
        {
            var stamper = new AuditStamper(new FakeTimeProvider());
            var stored = Apply(new JsonObject { ["n"] = 0 }, created);
            stamper.StampCreate(stored, Alice);
            var createdSnapshot = stored.DeepClone();
            foreach (var update in later)
            {
                var incoming = Apply(new JsonObject { ["n"] = 1 }, update);
                stamper.StampUpdate(incoming, stored, Bob);
                stored = incoming;
            }

            return (string?)stored[AuditFields.CreatedBy] == "alice123"
                && JsonNode.DeepEquals(createdSnapshot[AuditFields.CreatedAt], stored[AuditFields.CreatedAt])
                && (later.Length == 0 ? (string?)stored[AuditFields.UpdatedBy] == "alice123" : (string?)stored[AuditFields.UpdatedBy] == "bob7")
                && !AuditStamper.IsDeleted(stored);
        });
    }

    private static JsonObject Apply(JsonObject document, (string Name, JsonNode? Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            document[name] = value?.DeepClone();
        }

        return document;
    }
}
