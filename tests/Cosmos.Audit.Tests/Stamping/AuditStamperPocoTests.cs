using Cosmos.Audit.Stamping;
using Cosmos.Audit.Users;
using Microsoft.Extensions.Time.Testing;

namespace Cosmos.Audit.Tests.Stamping;

public sealed class AuditStamperPocoTests
{
    private static readonly UserContext Alice = new("alice123", "alice.smith");
    private static readonly UserContext Bob = new("bob7", "bob");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly AuditStamper _stamper;

    public AuditStamperPocoTests()
    {
        _stamper = new AuditStamper(_time);
    }

    private sealed class Note : IFullyAudited
    {
        public string Text { get; set; } = "";

        public string? CreatedBy { get; set; }

        public string? CreatedByUsername { get; set; }

        public DateTimeOffset? CreatedAt { get; set; }

        public string? UpdatedBy { get; set; }

        public string? UpdatedByUsername { get; set; }

        public DateTimeOffset? UpdatedAt { get; set; }

        public bool IsDeleted { get; set; }

        public string? DeletedBy { get; set; }

        public string? DeletedByUsername { get; set; }

        public DateTimeOffset? DeletedAt { get; set; }
    }

    private sealed class CreatedOnly : ICreationAudited
    {
        public string? CreatedBy { get; set; }

        public string? CreatedByUsername { get; set; }

        public DateTimeOffset? CreatedAt { get; set; }
    }

    private static Note Forged() => new()
    {
        CreatedBy = "mallory", CreatedByUsername = "mallory", CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedBy = "mallory", UpdatedByUsername = "mallory", UpdatedAt = DateTimeOffset.UnixEpoch,
        IsDeleted = true, DeletedBy = "mallory", DeletedByUsername = "mallory", DeletedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void StampCreate_ForgedProperties_Replaced()
    {
        var note = Forged();

        _stamper.StampCreate(note, Alice);

        Assert.Equal(("alice123", "alice.smith", _time.GetUtcNow()), (note.CreatedBy, note.CreatedByUsername, note.CreatedAt));
        Assert.Equal(("alice123", "alice.smith", _time.GetUtcNow()), (note.UpdatedBy, note.UpdatedByUsername, note.UpdatedAt));
        Assert.False(note.IsDeleted);
        Assert.Null(note.DeletedBy);
        Assert.Null(note.DeletedByUsername);
        Assert.Null(note.DeletedAt);
        Assert.Equal(TimeSpan.Zero, note.CreatedAt!.Value.Offset);
    }

    [Fact]
    public void StampUpdate_AfterCreate_KeepsCreatedAndDeletedFromStored()
    {
        var stored = new Note();
        _stamper.StampCreate(stored, Alice);
        var createdAt = stored.CreatedAt;
        _time.Advance(TimeSpan.FromMinutes(3));
        var incoming = Forged();

        _stamper.StampUpdate(incoming, stored, Bob);

        Assert.Equal(("alice123", "alice.smith", createdAt), (incoming.CreatedBy, incoming.CreatedByUsername, incoming.CreatedAt));
        Assert.Equal(("bob7", "bob", _time.GetUtcNow()), (incoming.UpdatedBy, incoming.UpdatedByUsername, incoming.UpdatedAt));
        Assert.False(incoming.IsDeleted);
        Assert.Null(incoming.DeletedBy);
    }

    [Fact]
    public void StampUpdate_WithoutStored_ClearsCreatedFields()
    {
        var incoming = Forged();

        _stamper.StampUpdate(incoming, null, Bob);

        Assert.Null(incoming.CreatedBy);
        Assert.Null(incoming.CreatedAt);
        Assert.False(incoming.IsDeleted);
        Assert.Equal("bob7", incoming.UpdatedBy);
    }

    [Fact]
    public void StampDelete_ThenRestore_SetsAndClearsDeletion()
    {
        var note = new Note();
        _stamper.StampCreate(note, Alice);
        _time.Advance(TimeSpan.FromMinutes(1));

        _stamper.StampDelete(note, Bob);
        Assert.True(note.IsDeleted);
        Assert.Equal(("bob7", "bob", _time.GetUtcNow()), (note.DeletedBy, note.DeletedByUsername, note.DeletedAt));
        Assert.Equal("bob7", note.UpdatedBy);
        Assert.Throws<InvalidOperationException>(() => _stamper.StampDelete(note, Alice));

        _time.Advance(TimeSpan.FromMinutes(1));
        _stamper.StampRestore(note, Alice);
        Assert.False(note.IsDeleted);
        Assert.Null(note.DeletedBy);
        Assert.Equal(("alice123", _time.GetUtcNow()), (note.UpdatedBy, note.UpdatedAt));
        Assert.Throws<InvalidOperationException>(() => _stamper.StampRestore(note, Alice));
    }

    [Fact]
    public void StampCreate_PartialInterfaces_StampsOnlyWhatTheEntityHas()
    {
        var entity = new CreatedOnly { CreatedBy = "mallory" };

        _stamper.StampCreate(entity, Bob);

        Assert.Equal("bob7", entity.CreatedBy);
    }

    [Fact]
    public void StampCreate_EntityWithoutAuditInterfaces_Throws()
    {
        Assert.Throws<ArgumentException>(() => _stamper.StampCreate(new object(), Alice));
    }
}
