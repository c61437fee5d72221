namespace Cosmos.Core.Execution;

/// <summary>The outcome of one node in a <see cref="ParallelNodeExecutor"/> run.</summary>
/// <param name="NodeId">The node id.</param>
/// <param name="Status">What happened to the node.</param>
/// <param name="Exception">The exception the node threw when <paramref name="Status"/> is <see cref="NodeExecutionStatus.Failed"/>; otherwise <see langword="null"/>.</param>
public readonly record struct NodeExecutionResult(string NodeId, NodeExecutionStatus Status, Exception? Exception);
