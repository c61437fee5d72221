using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cosmos.Audit.Log;

namespace Cosmos.Audit.Tests.AuditLog;

public sealed class AuditLogFileTests
{
    [Fact]
    public async Task AppendAsync_100kEventsConcurrently_ReopenedAndVerified()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        const int total = 100_000;
        await using (var log = await AuditLogFile.OpenAsync(path))
        {
            // Two appenders, each keeping a window of 1000 appends in flight (group commit batches them).
            await Task.WhenAll(Enumerable.Range(0, 2).Select(worker => Task.Run(async () =>
            {
                for (var start = worker * (total / 2); start < (worker + 1) * (total / 2); start += 1000)
                {
                    var window = new Task<long>[1000];
                    for (var i = 0; i < window.Length; i++)
                    {
                        window[i] = log.AppendAsync(AuditEvents.Make(start + i)).AsTask();
                    }

                    await Task.WhenAll(window);
                }
            })));
            Assert.Equal(total, log.Count);
        }

        await using (var reopened = await AuditLogFile.OpenAsync(path))
        {
            Assert.Equal(total, reopened.Count);
            Assert.Equal(0, reopened.RecoveredTornBytes);
            Assert.True(await reopened.ContainsAsync(AuditEvents.Make(0).EventId));
            Assert.True(await reopened.ContainsAsync(AuditEvents.Make(total - 1).EventId));
            Assert.False(await reopened.ContainsAsync(AuditEvents.Make(total).EventId));
            var verification = await reopened.VerifyAsync();
            Assert.True(verification.IsValid, verification.ToString());
            Assert.Equal(total, verification.RecordCount);
            Assert.Equal(reopened.LastHash, verification.LastHash);
        }
    }

    [Fact]
    public async Task AppendAsync_FirstRecords_HashIsDomainSeparatedSha256OverPrevAndBody()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        await using (var log = await AuditLogFile.OpenAsync(path))
        {
            Assert.Equal(new string('0', 64), log.LastHash);
            Assert.Equal(1, await log.AppendAsync(AuditEvents.Make(1, withDocuments: true)));
            Assert.Equal(2, await log.AppendAsync(AuditEvents.Make(2)));
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        var prev = new byte[32];
        for (var i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var root = doc.RootElement;
            Assert.Equal(i + 1, root.GetProperty("seq").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(prev), root.GetProperty("prev").GetString());

            var body = Encoding.UTF8.GetBytes(lines[i][..lines[i].IndexOf(",\"hash\":\"", StringComparison.Ordinal)]);
            var expected = SHA256.HashData([.. "cosmos-audit-v1\0"u8, .. prev, .. body]);
            Assert.Equal(Convert.ToHexStringLower(expected), root.GetProperty("hash").GetString());
            prev = expected;
        }

        using var first = JsonDocument.Parse(lines[0]);
        var ev = first.RootElement.GetProperty("event");
        Assert.Equal(AuditEvents.Make(1).EventId, ev.GetProperty("id").GetGuid());
        Assert.Equal("Update", ev.GetProperty("action").GetString());
        Assert.Equal("2026-01-01T00:00:00.001Z", ev.GetProperty("at").GetString());
        Assert.Equal("paid", ev.GetProperty("after").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AppendAsync_1000ConcurrentAppends_AreGroupCommittedInFewBatches()
    {
        using var dir = new TempDirectory();
        await using var log = await AuditLogFile.OpenAsync(dir.File("audit.jsonl"));

        var sequences = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => log.AppendAsync(AuditEvents.Make(i)).AsTask()));

        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), sequences.Order());

        // Each batch costs one write and one flush to disk; a flush takes far longer than queuing an append.
        Assert.InRange(log.BatchCount, 1, 500);
    }

    [Fact]
    public async Task AppendAsync_SameEventIdTwice_StoredOnceWithTheSameSequence()
    {
        using var dir = new TempDirectory();
        await using var log = await AuditLogFile.OpenAsync(dir.File("audit.jsonl"));
        var first = await log.AppendAsync(AuditEvents.Make(1));
        var concurrent = await Task.WhenAll(log.AppendAsync(AuditEvents.Make(2)).AsTask(), log.AppendAsync(AuditEvents.Make(2)).AsTask());
        var again = await log.AppendAsync(AuditEvents.Make(1));

        Assert.Equal(first, again);
        Assert.Equal(concurrent[0], concurrent[1]);
        Assert.Equal(2, log.Count);
        Assert.Equal(2, File.ReadAllLines(log.FilePath).Length);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentAppendersOnFourThreads_LoseNothingAndChainVerifies()
    {
        using var dir = new TempDirectory();
        const int threads = 4;
        const int perThread = 2_500;
        var sequences = new long[threads][];
        await using var log = await AuditLogFile.OpenAsync(dir.File("audit.jsonl"));
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            // Each thread keeps 100 appends in flight and blocks on them, like synchronous request handlers would.
            var mine = new long[perThread];
            for (var start = 0; start < perThread; start += 100)
            {
                var window = Enumerable.Range(start, 100).Select(i => log.AppendAsync(AuditEvents.Make((t * perThread) + i)).AsTask()).ToArray();
                Task.WaitAll(window);
                for (var i = 0; i < window.Length; i++)
                {
                    mine[start + i] = window[i].Result;
                }
            }

            sequences[t] = mine;
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        var all = sequences.SelectMany(s => s).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, threads * perThread).Select(i => (long)i), all);
        for (var i = 0; i < threads * perThread; i++)
        {
            Assert.True(await log.ContainsAsync(AuditEvents.Make(i).EventId));
        }

        var verification = await log.VerifyAsync();
        Assert.True(verification.IsValid, verification.ToString());
        Assert.Equal(threads * perThread, verification.RecordCount);
    }

    [Fact]
    public async Task OpenAsync_FileCutMidLine_CutsTheTornLineAndResumesTheChain()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        await using (var log = await AuditLogFile.OpenAsync(path))
        {
            await Task.WhenAll(Enumerable.Range(0, 100).Select(i => log.AppendAsync(AuditEvents.Make(i, withDocuments: true)).AsTask()));
        }

        var original = await File.ReadAllBytesAsync(path);
        var lastLineStart = Array.LastIndexOf(original, (byte)'\n', original.Length - 2) + 1;
        var cut = lastLineStart + ((original.Length - lastLineStart) / 2);
        await File.WriteAllBytesAsync(path, original[..cut]);

        var before = await AuditLogFile.VerifyAsync(path);
        Assert.Equal(AuditLogFailure.IncompleteRecord, before.Failure);
        Assert.Equal(100, before.LineNumber);
        Assert.Equal(99, before.RecordCount);

        await using (var reopened = await AuditLogFile.OpenAsync(path))
        {
            Assert.Equal(cut - lastLineStart, reopened.RecoveredTornBytes);
            Assert.Equal(99, reopened.Count);
            Assert.False(await reopened.ContainsAsync(AuditEvents.Make(99).EventId) && await reopened.ContainsAsync(AuditEvents.Make(0).EventId)
                && (await File.ReadAllBytesAsync(path)).Length != lastLineStart);

            // The torn event was never acknowledged; appending it again continues the chain at sequence 100.
            var torn = original.AsSpan(lastLineStart).ToArray();
            using var tornDoc = JsonDocument.Parse(torn);
            var tornId = tornDoc.RootElement.GetProperty("event").GetProperty("id").GetGuid();
            Assert.False(await reopened.ContainsAsync(tornId));
            Assert.Equal(100, await reopened.AppendAsync(AuditEvents.Make(1000)));
        }

        var after = await AuditLogFile.VerifyAsync(path);
        Assert.True(after.IsValid, after.ToString());
        Assert.Equal(100, after.RecordCount);
        Assert.Equal(original[..lastLineStart], (await File.ReadAllBytesAsync(path))[..lastLineStart]);
    }

    [Fact]
    public async Task OpenAsync_RecordBrokenBeforeTheLastLine_ThrowsNamingTheLine()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        await using (var log = await AuditLogFile.OpenAsync(path))
        {
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i => log.AppendAsync(AuditEvents.Make(i)).AsTask()));
        }

        var lines = await File.ReadAllLinesAsync(path);
        lines[3] = lines[3].Replace("orders", "Orders", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(path, lines);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => AuditLogFile.OpenAsync(path));
        Assert.Contains("line 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(AuditLogFailure.HashMismatch), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_RecordRemoved_ReportsSequenceMismatchAtTheNextRecord()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        await using (var log = await AuditLogFile.OpenAsync(path))
        {
            for (var i = 0; i < 5; i++)
            {
                await log.AppendAsync(AuditEvents.Make(i));
            }
        }

        var lines = (await File.ReadAllLinesAsync(path)).ToList();
        lines.RemoveAt(2);
        await File.WriteAllLinesAsync(path, lines);

        var result = await AuditLogFile.VerifyAsync(path);
        Assert.Equal(AuditLogFailure.SequenceMismatch, result.Failure);
        Assert.Equal(3, result.LineNumber);
        Assert.Equal(3, result.Sequence);
        Assert.Equal(2, result.RecordCount);
    }

    [Fact]
    public async Task AppendAsync_AfterDispose_ThrowsObjectDisposed()
    {
        using var dir = new TempDirectory();
        var log = await AuditLogFile.OpenAsync(dir.File("audit.jsonl"));
        await log.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => log.AppendAsync(AuditEvents.Make(1)).AsTask());
    }

    [Fact]
    public async Task AppendAsync_EventWithoutAuthor_ThrowsArgumentException()
    {
        using var dir = new TempDirectory();
        await using var log = await AuditLogFile.OpenAsync(dir.File("audit.jsonl"));
        var bad = new AuditEvent
        {
            EventId = Guid.NewGuid(), Author = "", Action = AuditAction.Create, Collection = "c", DocumentId = "d", OccurredAt = default,
        };
        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(bad).AsTask());
        await Assert.ThrowsAsync<ArgumentNullException>(() => log.AppendAsync(null!).AsTask());
    }
}
