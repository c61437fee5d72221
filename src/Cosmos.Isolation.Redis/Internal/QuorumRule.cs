namespace Cosmos.Isolation.Redis.Internal;

/// <summary>One live instance's vote material: its reported own levels and the last operator action it had applied.</summary>
internal readonly record struct InstanceVotes(long OperatorSequence, IReadOnlyList<WireNode> Nodes);

/// <summary>The cluster rule: a node is isolated everywhere when at least <see cref="Required"/> live instances report it at
/// Local or worse from their own evidence.</summary>
/// <remarks>
/// Why this avoids "one bad node poisons all": one instance's evidence (its own network path, its own bug, its own overload)
/// isolates the node on that instance only; the rest of the cluster follows only when independent instances agree. The
/// required count never drops below two, so a partitioned or lone instance can never isolate a node cluster-wide, and a
/// cluster-imposed isolation is never reported as a vote, so it cannot feed itself. Operator isolations travel as operator
/// actions and are not votes either. A vote older than an operator release of the node (its instance had not applied the
/// release yet) is ignored, so a release is not undone by reports that predate it.
/// </remarks>
internal static class QuorumRule
{
    /// <summary>The votes required among <paramref name="liveInstances"/>: the configured quorum, or a strict majority; never below 2.</summary>
    public static int Required(int liveInstances, int? configured)
        => Math.Max(2, configured ?? (liveInstances / 2) + 1);

    /// <summary>Adds to <paramref name="isolated"/> every node with at least <paramref name="required"/> current votes, and
    /// counts them in <paramref name="votes"/>.</summary>
    /// <param name="instances">The live instances, this one included while its view is fresh.</param>
    /// <param name="required">The votes required.</param>
    /// <param name="releasedAt">Per node, the sequence of the last operator release; votes from instances behind it are ignored.</param>
    /// <param name="releasedAllAt">The sequence of the last release-all.</param>
    /// <param name="votes">Per node, the current votes (cleared first).</param>
    /// <param name="isolated">Receives the isolated nodes (cleared first).</param>
    public static void Decide(
        IEnumerable<InstanceVotes> instances,
        int required,
        IReadOnlyDictionary<string, long> releasedAt,
        long releasedAllAt,
        Dictionary<string, int> votes,
        HashSet<string> isolated)
    {
        votes.Clear();
        isolated.Clear();
        foreach (var instance in instances)
        {
            if (instance.OperatorSequence < releasedAllAt)
            {
                continue;
            }

            foreach (var node in instance.Nodes)
            {
                if (node.Level < IsolationLevel.Local || node.Manual)
                {
                    continue;
                }

                if (releasedAt.TryGetValue(node.Node, out var released) && instance.OperatorSequence < released)
                {
                    continue;
                }

                votes[node.Node] = votes.GetValueOrDefault(node.Node) + 1;
            }
        }

        foreach (var (node, count) in votes)
        {
            if (count >= required)
            {
                isolated.Add(node);
            }
        }
    }
}
