namespace Cosmos.Isolation.Internal;

/// <summary>A node's decision state: what detection, escalation, recovery and operators decided about it.</summary>
/// <remarks>Written only by <see cref="IsolationController"/> under its lock; snapshots read the scalar fields without it.</remarks>
internal sealed class NodeDecision
{
    private long _impactBits;
    private long _healthBits = BitConverter.DoubleToInt64Bits(1.0);

    /// <summary>The level detection classified the node at (Normal, Warning, Local).</summary>
    public IsolationLevel Detected;

    /// <summary>The node's own isolation: Normal (none), Local or Subtree.</summary>
    public IsolationLevel Own;

    /// <summary>Isolated by an operator: only a release ends it.</summary>
    public bool Manual;

    public RecoveryStage Recovery;

    public DateTimeOffset IsolatedAt;

    /// <summary>The admitted share during partial recovery.</summary>
    public double Admission = 1;

    /// <summary>A probe batch is running outside the lock.</summary>
    public bool Probing;

    // What the last publication told hosts, to raise each change once.
    public IsolationLevel PublishedLevel;
    public RecoveryStage PublishedRecovery;
    public string? BlockedBy;

    public double Impact
    {
        get => BitConverter.Int64BitsToDouble(Volatile.Read(ref _impactBits));
        set => Volatile.Write(ref _impactBits, BitConverter.DoubleToInt64Bits(value));
    }

    public double Health
    {
        get => BitConverter.Int64BitsToDouble(Volatile.Read(ref _healthBits));
        set => Volatile.Write(ref _healthBits, BitConverter.DoubleToInt64Bits(value));
    }
}
