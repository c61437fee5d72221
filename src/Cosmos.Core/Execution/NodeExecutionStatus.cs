namespace Cosmos.Core.Execution;

/// <summary>What happened to one node in a <see cref="ParallelNodeExecutor"/> run.</summary>
public enum NodeExecutionStatus
{
    /// <summary>The node ran and completed.</summary>
    Succeeded,

    /// <summary>The node ran and threw; the exception is in <see cref="NodeExecutionResult.Exception"/>.</summary>
    Failed,

    /// <summary>The node was isolated by the <see cref="INodeIsolationGate"/> and did not run.</summary>
    Isolated,

    /// <summary>The run was canceled before the node started, or the node stopped on the run's cancellation.</summary>
    Canceled,
}
