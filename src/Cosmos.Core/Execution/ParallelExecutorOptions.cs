using System.ComponentModel.DataAnnotations;

namespace Cosmos.Core.Execution;

/// <summary>Settings for <see cref="ParallelNodeExecutor"/>.</summary>
public sealed class ParallelExecutorOptions
{
    /// <summary>Gets or sets the largest number of nodes that run at the same time.</summary>
    /// <value>The default value is 8. Must be at least 1.</value>
    [Range(1, int.MaxValue)]
    public int MaxDegreeOfParallelism { get; set; } = 8;
}
