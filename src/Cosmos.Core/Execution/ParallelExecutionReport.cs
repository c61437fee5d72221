namespace Cosmos.Core.Execution;

/// <summary>The outcome of every node of one <see cref="ParallelNodeExecutor"/> run, in the order the nodes were given.</summary>
public sealed class ParallelExecutionReport
{
    private readonly NodeExecutionResult[] _results;

    internal ParallelExecutionReport(NodeExecutionResult[] results)
    {
        _results = results;
        foreach (var result in results)
        {
            switch (result.Status)
            {
                case NodeExecutionStatus.Succeeded: Succeeded++; break;
                case NodeExecutionStatus.Failed: Failed++; break;
                case NodeExecutionStatus.Isolated: Isolated++; break;
                default: Canceled++; break;
            }
        }
    }

    /// <summary>Gets one result per node, in input order.</summary>
    public IReadOnlyList<NodeExecutionResult> Results => _results;

    /// <summary>Gets the number of nodes that completed.</summary>
    public int Succeeded { get; }

    /// <summary>Gets the number of nodes that threw.</summary>
    public int Failed { get; }

    /// <summary>Gets the number of isolated nodes that were bypassed.</summary>
    public int Isolated { get; }

    /// <summary>Gets the number of nodes canceled before or while running.</summary>
    public int Canceled { get; }

    /// <summary>Gets every exception thrown by a node, in input order.</summary>
    public IReadOnlyList<Exception> Exceptions =>
        [.. _results.Where(r => r.Status == NodeExecutionStatus.Failed).Select(r => r.Exception!)];

    /// <summary>Throws when any node failed.</summary>
    /// <exception cref="AggregateException">One or more nodes threw; <see cref="AggregateException.InnerExceptions"/> holds all of their exceptions.</exception>
    public void ThrowIfAnyFailed()
    {
        if (Failed > 0)
        {
            throw new AggregateException($"{Failed} of {_results.Length} nodes failed.", Exceptions);
        }
    }
}
