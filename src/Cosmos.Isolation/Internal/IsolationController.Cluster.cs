namespace Cosmos.Isolation.Internal;

// Isolation imposed from outside the engine (a cluster quorum). It blocks a node's calls like an own isolation but is kept
// apart from the node's own evidence: it never enters Own, Detected or Recovery, so what this instance reports to its peers
// is only what it saw itself, and an imposed isolation can never vote for itself.
internal sealed partial class IsolationController
{
    private HashSet<string> _imposed = new(StringComparer.Ordinal);

    /// <summary>The ids of the nodes blocked by an imposed isolation (a copy).</summary>
    public IReadOnlyCollection<string> ImposedIsolations
    {
        get
        {
            lock (_lock)
            {
                return [.. _imposed];
            }
        }
    }

    /// <summary>Replaces the set of nodes blocked by an imposed isolation; unknown ids are kept and apply once such a node is added.</summary>
    /// <returns><see langword="true"/> when the set changed.</returns>
    public bool SetImposedIsolations(IReadOnlyCollection<string> nodeIds)
    {
        var changed = false;
        Decide(nodeIds, (self, ids) =>
        {
            if (self._imposed.SetEquals(ids))
            {
                return;
            }

            self._imposed = new HashSet<string>(ids, StringComparer.Ordinal);
            changed = true;
        });
        return changed;
    }

    /// <summary>The verdict of a node that has no own isolation but an imposed one: blocked, no trial calls (the imposing peers
    /// gather the evidence), alternates still serve; it ends when the imposer lifts it.</summary>
    private NodeVerdict? ImposedVerdict(NodeRuntime node)
        => _imposed.Count != 0 && _imposed.Contains(node.Id)
            ? new NodeVerdict(IsolationLevel.Local, node.Id, null, AdmissionKind.None, 0, node, false, node.Alternates)
            : null;
}
