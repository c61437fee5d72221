using System.ComponentModel.DataAnnotations;

namespace Cosmos.Isolation;

/// <summary>How an automatically isolated node gathers fresh evidence of its health after its break duration.</summary>
public sealed class RecoveryOptions
{
    /// <summary>Without a probe: how many real calls are admitted as trials; their success share is the node's fresh health.
    /// During partial recovery, the same number of admitted calls is needed before health is judged again.</summary>
    /// <value>The default value is 10 (as Resilience4j's permitted calls in half-open state).</value>
    [Range(1, 10_000)]
    public int TrialCalls { get; set; } = 10;

    /// <summary>With a probe (<see cref="IsolationNode.WithProbe"/> or <see cref="IsolationNode.WithHealthCheck"/>): how many
    /// times it runs back to back; the mean score is the node's fresh health.</summary>
    /// <value>The default value is 5.</value>
    [Range(1, 1000)]
    public int ProbeAttempts { get; set; } = 5;

    /// <summary>The most time one probe run may take; a run that takes longer scores 0.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
