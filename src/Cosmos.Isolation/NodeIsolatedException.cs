using Polly.CircuitBreaker;

namespace Cosmos.Isolation;

/// <summary>Thrown by a node's pipeline when the call was not executed: the node is isolated (node, subtree or global
/// isolation) or its circuit breaker is open. The one rejection type a host sees from Cosmos.Isolation.</summary>
/// <remarks>Derives from Polly's <see cref="BrokenCircuitException"/>, so hosts that already catch broken circuits catch it too.
/// Polly's own <see cref="IsolatedCircuitException"/> and <see cref="BrokenCircuitException"/> from a node's breaker are
/// translated into this type before they leave the node's pipeline.</remarks>
public sealed class NodeIsolatedException : BrokenCircuitException
{
    /// <summary>Creates the exception for a blocked call that may be admitted again after <paramref name="retryAfter"/>.</summary>
    /// <param name="nodeId">The node whose pipeline rejected the call.</param>
    /// <param name="level">The isolation level that blocked the call.</param>
    /// <param name="causeNodeId">The node whose isolation blocked the call: <paramref name="nodeId"/> itself, the root of a
    /// subtree isolation, or <c>*</c> for global isolation.</param>
    /// <param name="retryAfter">How long until the engine gathers fresh evidence (the rest of the break duration).</param>
    public NodeIsolatedException(string nodeId, IsolationLevel level, string causeNodeId, TimeSpan retryAfter)
        : base(CreateMessage(nodeId, level, causeNodeId, retryAfter), retryAfter)
    {
        NodeId = nodeId;
        Level = level;
        CauseNodeId = causeNodeId;
    }

    /// <summary>Creates the exception for a blocked call that waits for an operator (<see cref="BrokenCircuitException.RetryAfter"/> is <see langword="null"/>).</summary>
    /// <param name="nodeId">The node whose pipeline rejected the call.</param>
    /// <param name="level">The isolation level that blocked the call.</param>
    /// <param name="causeNodeId">The node whose isolation blocked the call: <paramref name="nodeId"/> itself, the root of a
    /// subtree isolation, or <c>*</c> for global isolation.</param>
    public NodeIsolatedException(string nodeId, IsolationLevel level, string causeNodeId)
        : base(CreateMessage(nodeId, level, causeNodeId, null))
    {
        NodeId = nodeId;
        Level = level;
        CauseNodeId = causeNodeId;
    }

    /// <summary>Creates the exception for a blocked call to <paramref name="nodeId"/>, isolated on its own account.</summary>
    /// <param name="nodeId">The node whose pipeline rejected the call.</param>
    /// <param name="level">The isolation level that blocked the call.</param>
    public NodeIsolatedException(string nodeId, IsolationLevel level)
        : this(nodeId, level, nodeId)
    {
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
        CauseNodeId = string.Empty;
        Level = IsolationLevel.Local;
    }

    /// <summary>Creates the exception with a custom message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NodeIsolatedException(string message, Exception innerException)
        : base(message, innerException)
    {
        NodeId = string.Empty;
        CauseNodeId = string.Empty;
        Level = IsolationLevel.Local;
    }

    /// <summary>The node whose pipeline rejected the call.</summary>
    public string NodeId { get; }

    /// <summary>The isolation level that blocked the call.</summary>
    public IsolationLevel Level { get; }

    /// <summary>The node whose isolation blocked the call: the node itself, the root of its subtree isolation, or <c>*</c> (global).</summary>
    public string CauseNodeId { get; }

    private static string CreateMessage(string nodeId, IsolationLevel level, string causeNodeId, TimeSpan? retryAfter)
    {
        var cause = string.Equals(nodeId, causeNodeId, StringComparison.Ordinal) ? string.Empty : $" by '{causeNodeId}'";
        var retry = retryAfter is { } after ? $" Retry after {after.TotalSeconds:0.###} s." : " Waiting for an operator.";
        return $"Node '{nodeId}' is isolated ({level}){cause}; the call was not executed.{retry}";
    }
}
