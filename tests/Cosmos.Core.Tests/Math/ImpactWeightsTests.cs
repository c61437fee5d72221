using Cosmos.Core.Math;

namespace Cosmos.Core.Tests.Math;

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

    [Fact]
    public void Constructor_ZeroWeightsAndExactToleranceEdges_Accepted()
    {
        Assert.Equal(0.0, new ImpactWeights(0, 1, 0).ChangeRate);
        Assert.Equal(1.0, new ImpactWeights(0, 1, 0).ScaleFactor);
        Assert.Equal(0.0, new ImpactWeights(0, 0, 1).ScaleFactor);
        _ = new ImpactWeights(0.5, 0.5 - 0.9e-9, 0);  // just inside the 1e-9 tolerance
        _ = new ImpactWeights(0.5, 0.5 + 0.9e-9, 0);
        Assert.Throws<ArgumentException>(() => new ImpactWeights(0.5, 0.5 - 1.1e-9, 0));
        Assert.Throws<ArgumentException>(() => new ImpactWeights(0.5, 0.5 + 1.1e-9, 0));
    }

    [Fact]
    public void Constructor_BadSum_MessageNamesTheSum()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ImpactWeights(0.5, 0.5, 0.5));
        Assert.Equal("dependencyWeight", ex.ParamName);
        Assert.Contains("sum to 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("= 1.5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultValue_RejectedWhereWeightsAreUsed()
    {
        var ex = Assert.Throws<ArgumentException>(() => VelocityMath.Impact(0.5, 0.5, 0.5, default));
        Assert.Equal("weights", ex.ParamName);
        Assert.Contains("default(ImpactWeights)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => VelocityMath.Impact(new double[1], new double[1], new double[1], new double[1], default));
        Assert.Throws<ArgumentException>(() => VelocityMath.Impact(new float[1], new float[1], new float[1], new float[1], default));
    }

    [Fact]
    public void ScalarImpact_BadInput_NamesArgumentAndRule()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.Impact(0.5, -0.01, 0.5));
        Assert.Equal("scaleFactor", ex.ParamName);
        Assert.Contains("[0, 1]", ex.Message, StringComparison.Ordinal);
        Assert.Equal("changeRate", Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.Impact(1.01, 0, 0)).ParamName);
        Assert.Equal("dependencyWeight", Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.Impact(0, 0, double.NaN)).ParamName);
        Assert.Equal(1.0, VelocityMath.Impact(1, 1, 1));
        Assert.Equal(0.0, VelocityMath.Impact(0, 0, 0));
        Assert.Equal(0.4, VelocityMath.Impact(1, 0, 0), 15);
    }

    [Theory]
    [InlineData(double.NaN, "is NaN")]
    [InlineData(double.PositiveInfinity, "is +∞")]
    [InlineData(double.NegativeInfinity, "is −∞")]
    [InlineData(2.0, "is 2;")]
    [InlineData(-0.5, "is -0.5;")]
    public void BatchImpact_BadElement_MessageDescribesTheValue(double bad, string expected)
    {
        double[] c = [0.5, 0.5, bad];
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.Impact(c, new double[3], new double[3], new double[3]));
        Assert.Contains($"changeRate[2] {expected}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => VelocityMath.Impact(bad, 0, 0)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchImpact_ScaleFactorPartlyOverlapsDestination_Throws()
    {
        var buffer = new double[8];
        var ex = Assert.Throws<ArgumentException>(() => VelocityMath.Impact(new double[4], buffer.AsSpan(0, 4), new double[4], buffer.AsSpan(1, 4)));
        Assert.Equal("destination", ex.ParamName);
        Assert.Contains("overlaps scaleFactor at an offset of", ex.Message, StringComparison.Ordinal);
        VelocityMath.Impact(new double[4], buffer.AsSpan(0, 4), new double[4], buffer.AsSpan(0, 4)); // in place is fine
    }

    [Fact]
    public void Constructor_BadWeight_MessageStatesTheRule()
        => Assert.Contains("finite and ≥ 0", Assert.Throws<ArgumentOutOfRangeException>(() => new ImpactWeights(-1, 1, 1)).Message, StringComparison.Ordinal);
}
