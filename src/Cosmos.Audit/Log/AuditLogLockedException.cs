namespace Cosmos.Audit.Log;

/// <summary>Thrown when an <see cref="AuditLogFile"/> is opened on a path another writer (in this process or another) holds.</summary>
/// <remarks>A log has exactly one writer: two writers would each extend the chain from their own view of its end, and records
/// acknowledged by one would be overwritten by the other.</remarks>
public sealed class AuditLogLockedException : IOException
{
    /// <summary>Creates the exception for a held log.</summary>
    /// <param name="path">The log file's path.</param>
    /// <param name="owner">The holder as it recorded itself (process id, name, host, since when), or <see langword="null"/> when unknown.</param>
    /// <param name="innerException">The operating system's refusal.</param>
    public AuditLogLockedException(string path, string? owner, Exception? innerException)
        : base(
            $"The audit log '{path}' is already open for writing by " + (owner ?? "another writer (its owner did not record itself)") +
            "; a log has one writer at a time. Close the other writer first, or give this one its own path.",
            innerException)
    {
        FilePath = path;
        Owner = owner;
    }

    /// <summary>Creates the exception with a message.</summary>
    public AuditLogLockedException()
        : this(string.Empty, null, null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public AuditLogLockedException(string message)
        : base(message)
    {
        FilePath = string.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AuditLogLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = string.Empty;
    }

    /// <summary>The full path of the held log file.</summary>
    public string FilePath { get; }

    /// <summary>The holder as it recorded itself, e.g. <c>process 4242 (MyHost) on web-1 since 2026-11-30T12:00:00Z</c>, or <see langword="null"/>.</summary>
    public string? Owner { get; }
}
