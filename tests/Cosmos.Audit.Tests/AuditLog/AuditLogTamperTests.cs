using Cosmos.Audit.Log;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cosmos.Audit.Tests.AuditLog;

public sealed class AuditLogTamperTests : IAsyncLifetime, IDisposable
{
    private const int RecordCount = 40;
    private readonly TempDirectory _dir = new();
    private byte[] _log = [];

    public async Task InitializeAsync()
    {
        var path = _dir.File("audit.jsonl");
        await using (var log = await AuditLogFile.OpenAsync(path, new AuditLogFileOptions { FlushToDisk = false }))
        {
            for (var i = 0; i < RecordCount; i++)
            {
                await log.AppendAsync(AuditEvents.Make(i, withDocuments: i % 3 == 0));
            }
        }

        _log = await File.ReadAllBytesAsync(path);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task VerifyAsync_UntouchedLog_IsValid()
    {
        var result = await VerifyAsync(_log);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(RecordCount, result.RecordCount);
    }

    [Theory]
    [InlineData("first byte of the file")]
    [InlineData("sequence digit")]
    [InlineData("prev hash")]
    [InlineData("author")]
    [InlineData("document body")]
    [InlineData("stored hash")]
    [InlineData("newline")]
    [InlineData("last byte of the file")]
    public async Task VerifyAsync_ByteFlippedAtChosenPosition_NamesThatRecord(string where)
    {
        var record = where switch
        {
            "first byte of the file" => 1,
            "last byte of the file" => RecordCount,
            _ => 17,
        };
        var lineStart = LineStart(record);
        var line = _log.AsSpan(lineStart, LineStart(record + 1) - lineStart);
        var offset = where switch
        {
            "first byte of the file" or "sequence digit" => where == "sequence digit" ? "{\"seq\":"u8.Length : 0,
            "prev hash" => line.IndexOf("\"prev\":\""u8) + 20,
            "author" => line.IndexOf("\"author\":\""u8) + 12,
            "document body" => line.IndexOf("\"documentId\":\""u8) + 16,
            "stored hash" => line.IndexOf("\"hash\":\""u8) + 30,
            _ => line.Length - 1,
        };

        foreach (var mask in new byte[] { 0x01, 0x20, 0x80 })
        {
            var result = await VerifyAsync(Flip(lineStart + offset, mask));
            Assert.False(result.IsValid, $"{where} ^ 0x{mask:x2} went unnoticed");
            Assert.Equal(record, result.LineNumber);
            Assert.Equal(record, result.Sequence);
            Assert.Equal(record - 1, result.RecordCount);
        }
    }

    [Property(MaxTest = 500, Replay = "20261123,77")]
    public Property VerifyAsync_AnyByteFlipped_NamesTheRecordHoldingIt()
    {
        var flips = Gen.Zip(Gen.Choose(0, _log.Length - 1), Gen.Choose(1, 255)).ToArbitrary();
        return Prop.ForAll(flips, flip =>
        {
            var (position, mask) = flip;
            var result = VerifyAsync(Flip(position, (byte)mask)).GetAwaiter().GetResult();
            var record = 1 + _log.AsSpan(0, position).Count((byte)'\n');
            return !result.IsValid && result.LineNumber == record && result.RecordCount == record - 1;
        });
    }

    private byte[] Flip(int position, byte mask)
    {
        var copy = (byte[])_log.Clone();
        copy[position] ^= mask;
        return copy;
    }

    private int LineStart(int record)
    {
        var start = 0;
        for (var i = 1; i < record; i++)
        {
            start = Array.IndexOf(_log, (byte)'\n', start) + 1;
        }

        return start;
    }

    private static async Task<AuditLogVerification> VerifyAsync(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return await AuditLogFile.VerifyAsync(stream, CancellationToken.None);
    }
}
