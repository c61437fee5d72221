using System.Globalization;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Cosmos.Audit;
using Cosmos.Audit.Authors;
using Cosmos.Audit.Identity;
using Cosmos.Audit.Stamping;
using Cosmos.Audit.Users;

namespace Cosmos.Benchmarks.Audit;

/// <summary>Stamping the ten audit fields on a JsonObject and a POCO, and signing/verifying an author string.</summary>
[MemoryDiagnoser]
public class StampingBenchmarks
{
    private readonly UserContext _user = new("alice123", "alice.smith") { Roles = ["editor"] };
    private AuditStamper _stamper = null!;
    private AuthorStringSigner _signer = null!;
    private JsonObject _document = null!;
    private JsonObject _stored = null!;
    private Note _note = null!;
    private Note _storedNote = null!;
    private string _authorString = null!;

    [GlobalSetup]
    public void Setup()
    {
        _stamper = new AuditStamper(TimeProvider.System);
        var options = Microsoft.Extensions.Options.Options.Create(new CosmosAuditOptions
        {
            SigningKeys = [AuditSigningKey.FromBytes("k1", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray())],
        });
        _signer = new AuthorStringSigner(options, TimeProvider.System);
        _document = new JsonObject { ["title"] = "hello", ["body"] = "world" };
        _stored = new JsonObject { ["title"] = "hello" };
        _stamper.StampCreate(_stored, _user);
        _note = new Note();
        _storedNote = new Note();
        _stamper.StampCreate(_storedNote, _user);
        _authorString = _signer.Sign(_user);
    }

    /// <summary>What a hand-written stamp costs: ten JsonObject assignments and one timestamp.</summary>
    [Benchmark(Baseline = true)]
    public JsonObject ManualJsonAssignment()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var d = _document;
        d["_created_by"] = _user.UserId;
        d["_created_by_username"] = _user.Username;
        d["_created_at"] = now;
        d["_updated_by"] = _user.UserId;
        d["_updated_by_username"] = _user.Username;
        d["_updated_at"] = now;
        d["_deleted"] = false;
        d["_deleted_by"] = null;
        d["_deleted_by_username"] = null;
        d["_deleted_at"] = null;
        return d;
    }

    [Benchmark]
    public JsonObject StampCreateJson()
    {
        _stamper.StampCreate(_document, _user);
        return _document;
    }

    [Benchmark]
    public JsonObject StampUpdateJson()
    {
        _stamper.StampUpdate(_document, _stored, _user);
        return _document;
    }

    [Benchmark]
    public Note ManualPocoAssignment()
    {
        var now = TimeProvider.System.GetUtcNow();
        var n = _note;
        n.CreatedBy = _user.UserId;
        n.CreatedByUsername = _user.Username;
        n.CreatedAt = now;
        n.UpdatedBy = _user.UserId;
        n.UpdatedByUsername = _user.Username;
        n.UpdatedAt = now;
        n.IsDeleted = false;
        n.DeletedBy = null;
        n.DeletedByUsername = null;
        n.DeletedAt = null;
        return n;
    }

    [Benchmark]
    public Note StampCreatePoco()
    {
        _stamper.StampCreate(_note, _user);
        return _note;
    }

    [Benchmark]
    public Note StampUpdatePoco()
    {
        _stamper.StampUpdate(_note, _storedNote, _user);
        return _note;
    }

    [Benchmark]
    public string SignAuthor() => _signer.Sign(_user);

    [Benchmark]
    public bool VerifyAuthor() => _signer.Verify(_authorString).IsValid;

    public sealed class Note : IFullyAudited
    {
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
}
