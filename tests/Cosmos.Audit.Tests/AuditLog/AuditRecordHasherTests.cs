using System.Text;
using System.Text.Json;
using Cosmos.Audit.Log;

namespace Cosmos.Audit.Tests.AuditLog;

public sealed class AuditRecordHasherTests
{
    [Fact]
    public async Task ComputeHash_FileLogRecords_SameHashesAsTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        await using (var log = await AuditLogFile.OpenAsync(path, new AuditLogFileOptions { FlushToDisk = false }))
        {
            for (var i = 1; i <= 5; i++)
            {
                await log.AppendAsync(AuditEvents.Make(i, withDocuments: true));
            }
        }

        var previous = AuditRecordHasher.GenesisHash.ToArray();
        var sequence = 0L;
        foreach (var line in await File.ReadAllLinesAsync(path))
        {
            using var record = JsonDocument.Parse(line);
            var root = record.RootElement;
            sequence++;
            var eventJson = AuditRecordHasher.SerializeEvent(AuditRecordHasher.DeserializeEvent(Encoding.UTF8.GetBytes(root.GetProperty("event").GetRawText())));
            var hash = AuditRecordHasher.ComputeHash(sequence, previous, eventJson);
            Assert.Equal(root.GetProperty("hash").GetString(), AuditRecordHasher.ToHex(hash));
            Assert.True(AuditRecordHasher.VerifyHash(sequence, previous, eventJson, hash));
            previous = hash;
        }

        Assert.Equal(5, sequence);
    }

    [Fact]
    public async Task ComputeHash_RecordLargerThanTheOneShotBuffer_SameHashAsTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        var big = AuditEvents.Make(1, withDocuments: true);
        big.After!["blob"] = new string('x', 10_000);
        await using (var log = await AuditLogFile.OpenAsync(path, new AuditLogFileOptions { FlushToDisk = false }))
        {
            await log.AppendAsync(big);
            await log.AppendAsync(AuditEvents.Make(2));
        }

        var lines = await File.ReadAllLinesAsync(path);
        var first = AuditRecordHasher.ComputeHash(1, AuditRecordHasher.GenesisHash, AuditRecordHasher.SerializeEvent(big));
        var second = AuditRecordHasher.ComputeHash(2, first, AuditRecordHasher.SerializeEvent(AuditEvents.Make(2)));
        using var record = JsonDocument.Parse(lines[1]);
        Assert.Equal(record.RootElement.GetProperty("hash").GetString(), AuditRecordHasher.ToHex(second));
    }

    [Fact]
    public void VerifyHash_AnyChangedInput_False()
    {
        var json = AuditRecordHasher.SerializeEvent(AuditEvents.Make(7, withDocuments: true));
        var hash = AuditRecordHasher.ComputeHash(3, AuditRecordHasher.GenesisHash, json);

        Assert.False(AuditRecordHasher.VerifyHash(4, AuditRecordHasher.GenesisHash, json, hash));
        var otherPrev = new byte[32];
        otherPrev[31] = 1;
        Assert.False(AuditRecordHasher.VerifyHash(3, otherPrev, json, hash));
        var changed = (byte[])json.Clone();
        changed[^3] ^= 1;
        Assert.False(AuditRecordHasher.VerifyHash(3, AuditRecordHasher.GenesisHash, changed, hash));
    }

    [Fact]
    public void ComputeHash_BadArguments_ThrowNamingThem()
    {
        Assert.Equal("sequence", Assert.Throws<ArgumentOutOfRangeException>(() => AuditRecordHasher.ComputeHash(0, AuditRecordHasher.GenesisHash, "{}"u8)).ParamName);
        Assert.Equal("previousHash", Assert.Throws<ArgumentException>(() => AuditRecordHasher.ComputeHash(1, new byte[31], "{}"u8)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => AuditRecordHasher.ComputeHash(1, AuditRecordHasher.GenesisHash, "{}"u8, new byte[8])).ParamName);
    }
}
