using Cosmos.Isolation.Redis.Internal;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cosmos.Isolation.Redis.Tests;

public sealed class QuorumRuleTests
{
    private static readonly Dictionary<string, long> NoReleases = new(StringComparer.Ordinal);

    private static InstanceVotes Votes(long ops, params (string Node, IsolationLevel Level, bool Manual)[] nodes)
        => new(ops, [.. nodes.Select(n => new WireNode(n.Node, n.Level, 0.1, 0, n.Manual))]);

    private static HashSet<string> Decide(IEnumerable<InstanceVotes> instances, int required, IReadOnlyDictionary<string, long>? released = null, long releasedAll = 0)
    {
        var isolated = new HashSet<string>(StringComparer.Ordinal);
        QuorumRule.Decide(instances, required, released ?? NoReleases, releasedAll, new Dictionary<string, int>(StringComparer.Ordinal), isolated);
        return isolated;
    }

    [Property]
    public bool Required_AnyLiveCount_IsAMajorityAndAtLeastTwo(NonNegativeInt live)
    {
        var required = QuorumRule.Required(live.Get, null);
        return required >= 2 && 2 * required > live.Get;
    }

    [Property]
    public bool Required_Configured_NeverBelowTwo(PositiveInt configured, NonNegativeInt live)
        => QuorumRule.Required(live.Get, configured.Get) == Math.Max(2, configured.Get);

    [Property]
    public bool Decide_OneInstanceVoting_NeverIsolatesAnything(NonNegativeInt others, bool subtree)
    {
        // One sick (or partitioned) instance reports every node; the healthy rest report nothing.
        var instances = new List<InstanceVotes> { Votes(0, ("db", subtree ? IsolationLevel.Subtree : IsolationLevel.Local, false), ("cache", IsolationLevel.Local, false)) };
        instances.AddRange(Enumerable.Range(0, others.Get % 50).Select(_ => Votes(0, ("db", IsolationLevel.Warning, false))));
        return Decide(instances, QuorumRule.Required(instances.Count, null)).Count == 0;
    }

    [Property]
    public Property Decide_AddingAVote_NeverLiftsAnIsolation()
    {
        var levels = Gen.Elements(IsolationLevel.Normal, IsolationLevel.Warning, IsolationLevel.Local, IsolationLevel.Subtree);
        return Prop.ForAll(Arb.From(Gen.ListOf(levels)), Arb.From(Gen.Choose(2, 6)), (reported, required) =>
        {
            var instances = reported.Select(l => Votes(0, ("db", l, false))).ToList();
            var before = Decide(instances, required).Contains("db");
            instances.Add(Votes(0, ("db", IsolationLevel.Local, false)));
            return !before || Decide(instances, required).Contains("db");
        });
    }

    [Fact]
    public void Decide_TwoOfThreeReportLocal_NodeIsolated()
    {
        var instances = new[] { Votes(0, ("db", IsolationLevel.Local, false)), Votes(0, ("db", IsolationLevel.Subtree, false)), Votes(0, ("db", IsolationLevel.Normal, false)) };

        Assert.Equal(["db"], Decide(instances, QuorumRule.Required(3, null)));
    }

    [Fact]
    public void Decide_WarningAndManualReports_AreNotVotes()
    {
        var instances = new[] { Votes(0, ("db", IsolationLevel.Warning, false)), Votes(0, ("db", IsolationLevel.Local, true)), Votes(0, ("db", IsolationLevel.Local, false)) };

        Assert.Empty(Decide(instances, 2));
    }

    [Fact]
    public void Decide_VotesOlderThanARelease_Ignored()
    {
        var instances = new[] { Votes(4, ("db", IsolationLevel.Local, false)), Votes(5, ("db", IsolationLevel.Local, false)), Votes(7, ("db", IsolationLevel.Local, false)) };
        var released = new Dictionary<string, long>(StringComparer.Ordinal) { ["db"] = 5 };

        Assert.Equal(["db"], Decide(instances, 2, released));
        Assert.Empty(Decide(instances, 3, released));
        Assert.Empty(Decide(instances, 2, releasedAll: 6));
    }
}
