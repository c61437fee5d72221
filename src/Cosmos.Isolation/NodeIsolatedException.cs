using Polly.CircuitBreaker;

namespace Cosmos.Isolation;

/// <summary>Thrown by a node's pipeline when the isolation engine blocks the call (node, subtree or global isolation).</summary>
/// <remarks>Derives from Polly's <see cref="BrokenCircuitException"/>, so hosts that already catch broken circuits catch it too.</remarks>
public sealed class NodeIsolatedException : BrokenCircuitException
{
    /// <summary>Creates the exception for a blocked call to <paramref name="nodeId"/>.</summary>
    /// <param name="nodeId">The node whose pipeline rejected the call.</param>
    /// <param name="level">The isolation level that blocked the call.</param>
    public NodeIsolatedException(string nodeId, IsolationLevel level)
        : base($"Node '{nodeId}' is isolated ({level}); the call was not executed.")
    {
        NodeId = nodeId;
        Level = level;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public NodeIsolatedException()
        : this(string.Empty, IsolationLevel.Local)
    {
    }

    /// <summary>Creates the exception with a custom message.</summary>
    /// <param name="message">The message.</param>
    public NodeIsolatedException(string message)
        : base(message)
    {
        NodeId = string.Empty;
        Level = IsolationLevel.Local;
    }

    /// <summary>Creates the exception with a custom message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NodeIsolatedException(string message, Exception innerException)
        : base(message, innerException)
    {
        NodeId = string.Empty;
        Level = IsolationLevel.Local;
    }

    /// <summary>The node whose pipeline rejected the call.</summary>
    public string NodeId { get; }

    /// <summary>The isolation level that blocked the call.</summary>
    public IsolationLevel Level { get; }
}
