using Cosmos.Core.Math;
namespace Cosmos.Core.Tests.Layers;

public class ImpactWeightsTests
{
    [Fact]
    public void Default_Is040303()
    {
        var (a, b, c) = ImpactWeights.Default;
        Assert.Equal((0.4, 0.3, 0.3), (a, b, c));
    }

    [Theory]
    [InlineData(-0.1, 0.6, 0.5, "changeRate")]
    [InlineData(0.5, double.NaN, 0.5, "scaleFactor")]
    [InlineData(0.5, 0.5, double.PositiveInfinity, "dependencyWeight")]
    public void Constructor_InvalidWeight_ThrowsNamingIt(double a, double b, double c, string name)
    {
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => new ImpactWeights(a, b, c)).ParamName);
    }

    [Theory]
    [InlineData(0.4, 0.3, 0.2)]
    [InlineData(0.5, 0.5, 0.5)]
    [InlineData(0.0, 0.0, 0.0)]
    [InlineData(0.4, 0.3, 0.300000002)]
    public void Constructor_NotSummingToOne_Throws(double a, double b, double c)
    {
        Assert.Throws<ArgumentException>(() => new ImpactWeights(a, b, c));
    }

    [Fact]
    public void Constructor_SumWithinTolerance_Accepted()
    {
        var w = new ImpactWeights(0.4, 0.3, 0.3 + 5e-10);
        Assert.Equal(0.3 + 5e-10, w.DependencyWeight);
        Assert.Equal(new ImpactWeights(1, 0, 0), new ImpactWeights(1, 0, 0));
    }
}
