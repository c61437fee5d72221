using Cosmos.Core.Graph;

namespace Cosmos.Core.Tests.Graph;

public class DependencyGraphBuilderTests
{
    [Fact]
    public void AddNode_DuplicateId_ThrowsNamingTheId()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNode("db");
        var ex = Assert.Throws<ArgumentException>(() => builder.AddNode("db"));
        Assert.Contains("'db'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("#1")]
    public void AddNode_EmptyOrReservedId_Throws(string id)
    {
        Assert.Throws<ArgumentException>(() => new DependencyGraphBuilder().AddNode(id));
    }

    [Fact]
    public void AddNode_NullId_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new DependencyGraphBuilder().AddNode(null!));
    }

    [Fact]
    public void AddNode_ReturnsDenseIndexes()
    {
        var builder = new DependencyGraphBuilder();
        Assert.Equal(0, builder.AddNode("a"));
        Assert.Equal(1, builder.AddNode("b"));
        Assert.Equal(2, builder.AddNodes(3));
        Assert.Equal(5, builder.AddNode("c"));
        Assert.Equal(6, builder.NodeCount);
    }

    [Fact]
    public void AddDependency_UnknownId_ThrowsNamingTheId()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNode("api");
        var ex = Assert.Throws<ArgumentException>(() => builder.AddDependency("api", "cache"));
        Assert.Contains("'cache'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("dependency", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => builder.AddDependency("web", "api"));
        Assert.Contains("'web'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("dependent", ex.ParamName);
    }

    [Fact]
    public void AddDependency_IndexOutOfRange_Throws()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddDependency(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddDependency(0, -1));
    }

    [Fact]
    public void AddDependencies_BadIndex_NamesFirstBadPosition()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(3);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddDependencies([0, 1, 2], [1, 7, 9]));
        Assert.Contains("dependencies[1]", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, builder.EdgeCount);
        Assert.Throws<ArgumentException>(() => builder.AddDependencies([0, 1], [1]));
    }

    [Fact]
    public void Build_StoresBothDirectionsSortedAndDeduplicated()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNode("a");
        builder.AddNode("b");
        builder.AddNode("c");
        builder.AddDependency("c", "a");
        builder.AddDependency("b", "a");
        builder.AddDependency("b", "a");
        builder.AddDependency("c", "b");
        var graph = builder.Build();

        Assert.Equal(3, graph.NodeCount);
        Assert.Equal(3, graph.EdgeCount);
        Assert.Equal([1, 2], graph.GetDependents(0).ToArray());
        Assert.Equal([2], graph.GetDependents(1).ToArray());
        Assert.Empty(graph.GetDependents(2).ToArray());
        Assert.Equal([0, 1], graph.GetDependencies(2).ToArray());
        Assert.Equal([0], graph.GetDependencies(1).ToArray());
        Assert.Equal(2, graph.GetFanOut(0));
    }

    [Fact]
    public void Build_UnnamedNodes_HaveHashIds()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNode("named");
        builder.AddNodes(2);
        builder.AddDependency("#2", "named");
        var graph = builder.Build();

        Assert.Equal("#1", graph.GetId(1));
        Assert.Equal(2, graph.GetIndex("#2"));
        Assert.Equal(0, graph.GetIndex("named"));
        Assert.False(graph.TryGetIndex("#0", out _));
        Assert.False(graph.TryGetIndex("#02", out _));
        Assert.Equal([2], graph.GetDependents(0).ToArray());
    }

    [Fact]
    public void GetIndex_UnknownId_ThrowsKeyNotFoundNamingTheId()
    {
        var graph = new DependencyGraphBuilder().Build();
        var ex = Assert.Throws<KeyNotFoundException>(() => graph.GetIndex("ghost"));
        Assert.Contains("'ghost'", ex.Message, StringComparison.Ordinal);
        Assert.False(graph.TryGetIndex("ghost", out var index));
        Assert.Equal(-1, index);
    }

    [Fact]
    public void GetDependents_IndexOutOfRange_Throws()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(1);
        var graph = builder.Build();
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.GetDependents(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.GetDependencies(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.GetId(1));
    }

    [Fact]
    public void Build_BuilderStaysUsable_GraphsAreIndependent()
    {
        var builder = new DependencyGraphBuilder();
        builder.AddNodes(2);
        var first = builder.Build();
        builder.AddDependency(1, 0);
        var second = builder.Build();
        Assert.Equal(0, first.EdgeCount);
        Assert.Equal(1, second.EdgeCount);
    }
}
