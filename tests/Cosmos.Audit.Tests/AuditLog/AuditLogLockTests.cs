using System.Diagnostics;
using Cosmos.Audit.Log;

namespace Cosmos.Audit.Tests.AuditLog;

/// <summary>One writer per log path, checked with a real second process (tests/Cosmos.Audit.LockHolder).</summary>
public sealed class AuditLogLockTests
{
    [Fact]
    public async Task OpenAsync_PathHeldByAnotherProcess_FailsAtOnceNamingPathAndOwner()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        using var holder = LockHolder.Start(path, 1);
        Assert.Equal("HELD 1", await holder.ReadLineAsync());

        var ex = await Assert.ThrowsAsync<AuditLogLockedException>(() => AuditLogFile.OpenAsync(path));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"process {holder.ProcessId} ", ex.Owner, StringComparison.Ordinal);

        // Released by the holder: the log opens with the holder's acknowledged record intact.
        await holder.StopAsync();
        await using var log = await AuditLogFile.OpenAsync(path);
        Assert.Equal(1, log.Count);
        Assert.Equal(2, await log.AppendAsync(AuditEvents.Make(2)));
    }

    [Fact]
    public async Task OpenAsync_InAnotherProcessWhileThisOneHolds_RefusedAndNothingLost()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        await using (var log = await AuditLogFile.OpenAsync(path))
        {
            await log.AppendAsync(AuditEvents.Make(1));
            using var second = LockHolder.Start(path, 2);
            var line = await second.ReadLineAsync();
            Assert.StartsWith("LOCKED ", line, StringComparison.Ordinal);
            Assert.Contains(path, line, StringComparison.Ordinal);
            Assert.Contains($"process {Environment.ProcessId} ", line, StringComparison.Ordinal);
            Assert.Equal(3, await second.WaitForExitAsync());
            await log.AppendAsync(AuditEvents.Make(3));
        }

        var verification = await AuditLogFile.VerifyAsync(path);
        Assert.True(verification.IsValid, verification.ToString());
        Assert.Equal(2, verification.RecordCount);
    }

    [Fact]
    public async Task OpenAsync_SamePathTwiceInOneProcess_SecondFails()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        await using var first = await AuditLogFile.OpenAsync(path);
        await first.AppendAsync(AuditEvents.Make(1));

        await Assert.ThrowsAsync<AuditLogLockedException>(() => AuditLogFile.OpenAsync(path));

        // The first writer is unaffected and readers are not blocked.
        Assert.Equal(2, await first.AppendAsync(AuditEvents.Make(2)));
        Assert.True((await AuditLogFile.VerifyAsync(path)).IsValid);
    }

    [Fact]
    public async Task OpenAsync_HeldWithAStaleOwnerNote_SaysTheNoteIsStale()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        await using var first = await AuditLogFile.OpenAsync(path);

        // A holder that did not write its note (an older version, or the note write failed) leaves an earlier owner's note behind.
        await File.WriteAllTextAsync(path + ".lock.owner", "process 2147483000 (gone) on host since 2026-01-01T00:00:00Z");
        var ex = await Assert.ThrowsAsync<AuditLogLockedException>(() => AuditLogFile.OpenAsync(path));

        if (OperatingSystem.IsLinux())
        {
            Assert.Contains("no longer running", ex.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("process 2147483000", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OpenAsync_AfterDispose_PathCanBeOpenedAgain()
    {
        using var dir = new TempDirectory();
        var path = dir.File("audit.jsonl");
        await (await AuditLogFile.OpenAsync(path)).DisposeAsync();
        await using var again = await AuditLogFile.OpenAsync(path);
        Assert.Equal(0, again.Count);
    }

    [Fact]
    public async Task HostStart_LogHeldByAnotherWriter_FailsInsteadOfDeadLetteringEverything()
    {
        await using var host = Pipeline.AuditTestHost.Create();
        var path = host.Directory.File("audit.jsonl");
        await using var holder = await AuditLogFile.OpenAsync(path);

        var ex = await Assert.ThrowsAsync<AuditLogLockedException>(() => host.ReplayService.StartAsync(CancellationToken.None));
        Assert.Equal(path, ex.FilePath);
    }

    private sealed class LockHolder : IDisposable
    {
        private readonly Process _process;

        private LockHolder(Process process) => _process = process;

        public int ProcessId => _process.Id;

        public static LockHolder Start(string path, int eventNumber)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "Cosmos.Audit.LockHolder.dll");
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var start = new ProcessStartInfo(dotnet)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add(path);
            start.ArgumentList.Add(eventNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return new LockHolder(Process.Start(start) ?? throw new InvalidOperationException("The lock holder did not start."));
        }

        public async Task<string?> ReadLineAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            return await _process.StandardOutput.ReadLineAsync(timeout.Token);
        }

        public async Task StopAsync()
        {
            await _process.StandardInput.WriteLineAsync();
            await _process.StandardInput.FlushAsync();
            Assert.Equal(0, await WaitForExitAsync());
        }

        public async Task<int> WaitForExitAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }
    }
}
