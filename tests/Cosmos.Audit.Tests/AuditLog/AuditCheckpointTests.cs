using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cosmos.Audit.Log;
using Microsoft.Extensions.Time.Testing;

namespace Cosmos.Audit.Tests.AuditLog;

public sealed class AuditCheckpointTests
{
    private static readonly byte[] Secret = SHA256.HashData("checkpoint key for tests"u8);

    private static AuditCheckpointOptions HmacKeys(TimeSpan? interval = null) => new()
    {
        Keys = [AuditCheckpointKey.Hmac("cp1", Secret)],
        Interval = interval ?? Timeout.InfiniteTimeSpan,
        Origin = "test-log",
    };

    private static async Task<AuditCheckpoint> WriteLogAsync(string path, int records, AuditCheckpointOptions checkpoints, TimeProvider? clock = null)
    {
        await using var log = await AuditLogFile.OpenAsync(path, new AuditLogFileOptions { FlushToDisk = false, Checkpoints = checkpoints, TimeProvider = clock });
        for (var i = 1; i <= records; i++)
        {
            await log.AppendAsync(AuditEvents.Make(i, withDocuments: true));
        }

        return await log.WriteCheckpointAsync();
    }

    [Fact]
    public async Task VerifyAsync_RecordsCutFromTheEnd_ChainAloneValidCheckpointCatchesTruncation()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        var checkpoint = await WriteLogAsync(path, 10, HmacKeys());
        var lines = await File.ReadAllLinesAsync(path);
        await File.WriteAllLinesAsync(path, lines[..7]);
        using var signer = new AuditCheckpointSigner(HmacKeys());

        Assert.True((await AuditLogFile.VerifyAsync(path)).IsValid);
        var verification = await AuditLogFile.VerifyAsync(path, checkpoint, signer);

        Assert.Equal(AuditLogFailure.Truncated, verification.Failure);
        Assert.Contains("holds 7 records", verification.Message, StringComparison.Ordinal);
        Assert.Contains("held 10", verification.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_LogRechainedFromRecord5_ChainAloneValidCheckpointCatchesIt()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        var checkpoint = await WriteLogAsync(path, 10, HmacKeys());
        await RechainAsync(path, from: 5);
        using var signer = new AuditCheckpointSigner(HmacKeys());

        Assert.True((await AuditLogFile.VerifyAsync(path)).IsValid);
        var verification = await AuditLogFile.VerifyAsync(path, checkpoint, signer);

        Assert.Equal(AuditLogFailure.CheckpointMismatch, verification.Failure);
        Assert.Equal(10, verification.LineNumber);
    }

    [Fact]
    public async Task VerifyAsync_LogGrewAfterTheCheckpoint_Valid()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        var checkpoint = await WriteLogAsync(path, 5, HmacKeys());
        await using (var log = await AuditLogFile.OpenAsync(path, new AuditLogFileOptions { FlushToDisk = false }))
        {
            await log.AppendAsync(AuditEvents.Make(6));
        }

        using var signer = new AuditCheckpointSigner(HmacKeys());
        var verification = await AuditLogFile.VerifyAsync(path, checkpoint, signer);
        Assert.True(verification.IsValid, verification.ToString());
        Assert.Equal(6, verification.RecordCount);
    }

    [Fact]
    public async Task VerifyAsync_CheckpointAlteredOrUnknownKey_SignatureInvalid()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        var checkpoint = await WriteLogAsync(path, 3, HmacKeys());
        using var signer = new AuditCheckpointSigner(HmacKeys());

        // An attacker who cut the log would like the checkpoint to say 2.
        var lowered = checkpoint with { Sequence = 2 };
        Assert.Equal(AuditLogFailure.CheckpointSignatureInvalid, (await AuditLogFile.VerifyAsync(path, lowered, signer)).Failure);

        using var otherKey = new AuditCheckpointSigner(new AuditCheckpointOptions { Keys = [AuditCheckpointKey.Hmac("cp2", new byte[32])] });
        Assert.Equal(AuditLogFailure.CheckpointSignatureInvalid, (await AuditLogFile.VerifyAsync(path, checkpoint, otherKey)).Failure);
        Assert.True((await AuditLogFile.VerifyAsync(path, checkpoint, signer)).IsValid);
    }

    [Fact]
    public async Task Ecdsa_AuditorWithOnlyThePublicKey_VerifiesButCannotSign()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = await WriteLogAsync(path, 4, new AuditCheckpointOptions { Keys = [AuditCheckpointKey.Ecdsa("es1", key)], Interval = Timeout.InfiniteTimeSpan });
        using var auditor = new AuditCheckpointSigner(new AuditCheckpointOptions { Keys = [AuditCheckpointKey.Ecdsa("es1", key, includePrivateKey: false)] });

        Assert.Equal(AuditCheckpointAlgorithm.EcdsaP256Sha256, checkpoint.Algorithm);
        Assert.True((await AuditLogFile.VerifyAsync(path, checkpoint, auditor)).IsValid);
        Assert.False(auditor.CanSign);
        Assert.Throws<InvalidOperationException>(() => auditor.Sign("x", 1, new string('0', 64), DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public async Task KeyRotation_OldCheckpointVerifiesWhileTheOldKeyIsListed()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        var old = await WriteLogAsync(path, 2, HmacKeys());
        var rotated = new AuditCheckpointOptions
        {
            Keys = [AuditCheckpointKey.Hmac("cp1", Secret), AuditCheckpointKey.Hmac("cp2", SHA256.HashData("next"u8))],
            Interval = Timeout.InfiniteTimeSpan,
            Origin = "test-log",
        };
        var fresh = await WriteLogAsync(path, 0, rotated);
        using var signer = new AuditCheckpointSigner(rotated);

        Assert.Equal("cp2", fresh.KeyId);
        Assert.True((await AuditLogFile.VerifyAsync(path, old, signer)).IsValid);
        Assert.True((await AuditLogFile.VerifyAsync(path, fresh, signer)).IsValid);
    }

    [Fact]
    public async Task Checkpoints_WrittenAtTheIntervalAndOnDispose_ToFileAndSinks()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var sink = new ListSink();
        var options = HmacKeys(TimeSpan.FromMinutes(1));
        options.Sinks.Add(sink);
        await using (var log = await AuditLogFile.OpenAsync(path, new AuditLogFileOptions { FlushToDisk = false, Checkpoints = options, TimeProvider = clock }))
        {
            await log.AppendAsync(AuditEvents.Make(1));
            clock.Advance(TimeSpan.FromMinutes(1));
            await WaitUntil(() => sink.Count == 1);
            clock.Advance(TimeSpan.FromMinutes(1)); // nothing new: no second checkpoint
            await log.AppendAsync(AuditEvents.Make(2));
        }

        Assert.Equal([1L, 2L], sink.Items.Select(c => c.Sequence));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 1, 0, TimeSpan.Zero), sink.Items[0].Timestamp);
        var fromFile = (await File.ReadAllLinesAsync(path + ".checkpoints.jsonl")).Select(AuditCheckpoint.Parse).ToArray();
        Assert.Equal(sink.Items, fromFile);
        Assert.Equal("test-log", fromFile[1].Origin);
    }

    [Fact]
    public void Signer_BadKeys_ThrowNamingTheKey()
    {
        Assert.Contains("At least one", Assert.Throws<ArgumentException>(() => new AuditCheckpointSigner(new AuditCheckpointOptions())).Message, StringComparison.Ordinal);
        var shortSecret = new AuditCheckpointOptions { Keys = [new AuditCheckpointKey { Id = "k", Secret = Convert.ToBase64String(new byte[8]) }] };
        Assert.Contains("'k' (index 0)", Assert.Throws<ArgumentException>(() => new AuditCheckpointSigner(shortSecret)).Message, StringComparison.Ordinal);
        var duplicate = new AuditCheckpointOptions { Keys = [AuditCheckpointKey.Hmac("k", Secret), AuditCheckpointKey.Hmac("k", Secret)] };
        Assert.Contains("index 1", Assert.Throws<ArgumentException>(() => new AuditCheckpointSigner(duplicate)).Message, StringComparison.Ordinal);
    }

    /// <summary>What an attacker with write access does: change record <paramref name="from"/> and recompute every later hash.</summary>
    private static async Task RechainAsync(string path, int from)
    {
        var lines = await File.ReadAllLinesAsync(path);
        var previous = AuditRecordHasher.GenesisHash.ToArray();
        var output = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            using var record = JsonDocument.Parse(lines[i]);
            var eventJson = Encoding.UTF8.GetBytes(record.RootElement.GetProperty("event").GetRawText());
            if (i + 1 >= from)
            {
                var ev = AuditRecordHasher.DeserializeEvent(eventJson);
                if (i + 1 == from)
                {
                    ev = new AuditEvent
                    {
                        EventId = ev.EventId, Author = ev.Author, Action = ev.Action, Collection = ev.Collection, DocumentId = ev.DocumentId,
                        OccurredAt = ev.OccurredAt, Before = ev.Before, After = new JsonObject { ["total"] = 0, ["status"] = "void" },
                    };
                }

                eventJson = AuditRecordHasher.SerializeEvent(ev);
            }

            var hash = AuditRecordHasher.ComputeHash(i + 1, previous, eventJson);
            output.Add($"{{\"seq\":{i + 1},\"prev\":\"{AuditRecordHasher.ToHex(previous)}\",\"event\":{Encoding.UTF8.GetString(eventJson)},\"hash\":\"{AuditRecordHasher.ToHex(hash)}\"}}");
            previous = hash;
        }

        await File.WriteAllTextAsync(path, string.Join("\n", output) + "\n");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private sealed class ListSink : IAuditCheckpointSink
    {
        private readonly List<AuditCheckpoint> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public List<AuditCheckpoint> Items
        {
            get
            {
                lock (_items)
                {
                    return [.. _items];
                }
            }
        }

        public ValueTask WriteAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken = default)
        {
            lock (_items)
            {
                _items.Add(checkpoint);
            }

            return ValueTask.CompletedTask;
        }
    }
}
