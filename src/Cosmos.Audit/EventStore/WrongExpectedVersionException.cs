namespace Cosmos.Audit.EventStore;

/// <summary>An append expected a stream at one version and found it at another: someone else appended first; nothing was stored.</summary>
public sealed class WrongExpectedVersionException : Exception
{
    /// <summary>Creates the exception for a conflicting append.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="expectedVersion">The version the append expected.</param>
    /// <param name="actualVersion">The version the stream was at.</param>
    public WrongExpectedVersionException(string streamId, long expectedVersion, long actualVersion)
        : base($"Append to stream '{streamId}' expected version {expectedVersion} but the stream is at version {actualVersion}.")
    {
        StreamId = streamId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>Creates the exception without details.</summary>
    public WrongExpectedVersionException()
        : this(string.Empty, 0, 0)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public WrongExpectedVersionException(string message)
        : base(message)
    {
        StreamId = string.Empty;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public WrongExpectedVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
        StreamId = string.Empty;
    }

    /// <summary>Gets the stream the append targeted.</summary>
    public string StreamId { get; }

    /// <summary>Gets the version the append expected.</summary>
    public long ExpectedVersion { get; }

    /// <summary>Gets the version the stream was at.</summary>
    public long ActualVersion { get; }
}
