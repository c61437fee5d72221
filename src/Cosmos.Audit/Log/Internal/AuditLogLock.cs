using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Cosmos.Audit.Log.Internal;

/// <summary>
/// The exclusive writer lock of one audit log: an operating-system lock on <c>&lt;log&gt;.lock</c>, held from open to dispose.
/// </summary>
/// <remarks>
/// <para>The lock file is opened with <see cref="FileShare.None"/>: Windows refuses any other open, and .NET on Unix takes
/// <c>flock(LOCK_EX | LOCK_NB)</c>, which is per open file, so a second open fails in this process and in any other. The lock goes
/// with the process (a crash or kill frees it), so there is no stale lock to clean up.</para>
/// <para>A separate lock file, not the log itself, keeps the log readable by verifiers (a shared lock on the log would be
/// refused by an exclusive one). The lock file is never deleted: deleting it while another opener waits to lock it would let
/// two writers each hold a lock on a different file of the same name.</para>
/// <para>The holder writes who it is to <c>&lt;log&gt;.lock.owner</c> (the lock file itself cannot be read while locked), so a refused
/// opener can name it.</para>
/// </remarks>
internal sealed class AuditLogLock : IDisposable
{
    private readonly FileStream _lock;

    private AuditLogLock(FileStream lockStream) => _lock = lockStream;

    public static string LockPath(string logPath) => logPath + ".lock";

    public static string OwnerPath(string logPath) => logPath + ".lock.owner";

    /// <summary>Takes the lock or throws <see cref="AuditLogLockedException"/> at once (no waiting).</summary>
    public static AuditLogLock Acquire(string logPath, TimeProvider timeProvider)
    {
        if (!OperatingSystem.IsWindows() && FileLockingDisabled())
        {
            throw new InvalidOperationException(
                $"File locking is disabled in this process (System.IO.DisableFileLocking / DOTNET_SYSTEM_IO_DISABLEFILELOCKING), so the audit log '{logPath}' cannot be held by one writer; enable it.");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(LockPath(logPath), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            throw new AuditLogLockedException(logPath, ReadOwner(logPath), ex);
        }

        try
        {
            using var self = Process.GetCurrentProcess();
            var owner = string.Create(
                CultureInfo.InvariantCulture,
                $"process {Environment.ProcessId} ({self.ProcessName}) on {Environment.MachineName} since {timeProvider.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}");
            File.WriteAllText(OwnerPath(logPath), owner, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The lock is what guarantees one writer; the owner note only improves the message another opener sees.
        }

        return new AuditLogLock(stream);
    }

    public void Dispose() => _lock.Dispose();

    private static string? ReadOwner(string logPath)
    {
        try
        {
            var text = File.ReadAllText(OwnerPath(logPath), Encoding.UTF8).Trim();
            if (text.Length is 0 or >= 1024)
            {
                return null;
            }

            // On Linux the note's process id can be checked: a note left by a process that is gone was not written by the holder.
            if (OperatingSystem.IsLinux() && TryReadProcessId(text, out var pid) && !Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)))
            {
                return "another writer (the last owner note, '" + text + "', names a process that is no longer running)";
            }

            return text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool TryReadProcessId(string note, out int pid)
    {
        pid = 0;
        const string Prefix = "process ";
        if (!note.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var end = note.IndexOf(' ', Prefix.Length);
        return end > Prefix.Length && int.TryParse(note.AsSpan(Prefix.Length, end - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out pid);
    }

    private static bool FileLockingDisabled()
    {
        if (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled))
        {
            return disabled;
        }

        var variable = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING");
        return variable is not null && (variable == "1" || variable.Equals("true", StringComparison.OrdinalIgnoreCase));
    }
}
