using Cosmos.Core.Layers;
using Cosmos.Core.Math;
namespace Cosmos.Core.Tests.Layers;

public class LayerModelTests
{
    [Theory]
    [InlineData(CosmicLayer.Quantum, "Quantum", 0.12, "Noise filtering", "Automatic retry")]
    [InlineData(CosmicLayer.Atomic, "Atomic", 0.20, "Variable isolation", "Data normalisation")]
    [InlineData(CosmicLayer.Molecular, "Molecular", 0.26, "Function isolation", "Algorithm substitution (fallback)")]
    [InlineData(CosmicLayer.Compound, "Compound", 0.30, "Module isolation", "Interface redefinition")]
    [InlineData(CosmicLayer.Organic, "Organic", 0.33, "Component isolation", "Dependency reconfiguration")]
    [InlineData(CosmicLayer.Ecosystem, "Ecosystem", 0.35, "Service isolation", "Load balancing")]
    [InlineData(CosmicLayer.Cosmos, "Cosmos", 0.38, "Global circuit breaker", "System restart")]
    public void Default_Profile_MatchesSpecTable(CosmicLayer layer, string name, double escapeVelocity, string isolation, string recovery)
    {
        var profile = LayerModel.Default.GetProfile(layer);
        Assert.Equal(layer, profile.Layer);
        Assert.Equal(name, profile.Name);
        Assert.Equal(escapeVelocity, profile.EscapeVelocity);
        Assert.Equal(escapeVelocity, LayerModel.Default.GetEscapeVelocity(layer));
        Assert.Equal(isolation, profile.IsolationStrategy);
        Assert.Equal(recovery, profile.RecoveryMechanism);
        Assert.False(string.IsNullOrWhiteSpace(profile.Responsibility));
    }

    [Fact]
    public void Default_LayersAndSettings_AreSpecDefaults()
    {
        var model = LayerModel.Default;
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (CosmicLayer)i), model.Layers.Select(p => p.Layer));
        Assert.Equal(0.8, model.WarningRatio);
        Assert.Equal(ImpactWeights.Default, model.Weights);
        Assert.Equal(new ImpactWeights(0.4, 0.3, 0.3), model.Weights);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(-1)]
    public void GetProfile_UndefinedLayer_ThrowsArgumentOutOfRange(int value)
    {
        var layer = (CosmicLayer)value;
        Assert.Equal("layer", Assert.Throws<ArgumentOutOfRangeException>(() => LayerModel.Default.GetProfile(layer)).ParamName);
        Assert.Equal("layer", Assert.Throws<ArgumentOutOfRangeException>(() => LayerModel.Default.GetEscapeVelocity(layer)).ParamName);
        Assert.Equal("layer", Assert.Throws<ArgumentOutOfRangeException>(() => LayerModel.Default.Classify(layer, 0.1)).ParamName);
        Assert.Equal("layer", Assert.Throws<ArgumentOutOfRangeException>(() => LayerModel.NextLayerUp(layer)).ParamName);
    }

    [Theory]
    // 0.15 ≥ 0.12 on L1 → Local; on L2 the warning threshold is 0.8 × 0.20 = 0.16 > 0.15 → Normal; L7 (0.304) → Normal.
    [InlineData(CosmicLayer.Quantum, 0.15, ImpactLevel.Local)]
    [InlineData(CosmicLayer.Atomic, 0.15, ImpactLevel.Normal)]
    [InlineData(CosmicLayer.Cosmos, 0.15, ImpactLevel.Normal)]
    [InlineData(CosmicLayer.Atomic, 0.17, ImpactLevel.Warning)]
    [InlineData(CosmicLayer.Atomic, 0.20, ImpactLevel.Local)]
    [InlineData(CosmicLayer.Quantum, 0.10, ImpactLevel.Warning)] // 0.8 × 0.12 = 0.096 ≤ 0.10 < 0.12
    [InlineData(CosmicLayer.Cosmos, 0.31, ImpactLevel.Warning)]  // 0.8 × 0.38 = 0.304
    [InlineData(CosmicLayer.Cosmos, 0.38, ImpactLevel.Local)]
    [InlineData(CosmicLayer.Molecular, 0.0, ImpactLevel.Normal)]
    [InlineData(CosmicLayer.Molecular, 1.0, ImpactLevel.Local)]
    public void Classify_DefaultModel_MatchesThresholds(CosmicLayer layer, double impact, ImpactLevel expected)
    {
        Assert.Equal(expected, LayerModel.Default.Classify(layer, impact));
    }

    [Fact]
    public void Classify_AtBoundaries_IsInclusive()
    {
        var model = LayerModel.Default;
        foreach (var layer in Enum.GetValues<CosmicLayer>())
        {
            var threshold = model.GetEscapeVelocity(layer);
            var warning = model.GetWarningThreshold(layer);
            Assert.Equal(ImpactLevel.Local, model.Classify(layer, threshold));
            Assert.Equal(ImpactLevel.Warning, model.Classify(layer, double.BitDecrement(threshold)));
            Assert.Equal(ImpactLevel.Warning, model.Classify(layer, warning));
            Assert.Equal(ImpactLevel.Normal, model.Classify(layer, double.BitDecrement(warning)));
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.01)]
    [InlineData(double.NegativeInfinity)]
    public void Classify_BadImpact_ThrowsNamingImpact(double impact)
    {
        Assert.Equal("impact", Assert.Throws<ArgumentOutOfRangeException>(() => LayerModel.Default.Classify(CosmicLayer.Atomic, impact)).ParamName);
    }

    [Fact]
    public void NextLayerUp_WalksToCosmosThenNull()
    {
        Assert.Equal(CosmicLayer.Atomic, LayerModel.NextLayerUp(CosmicLayer.Quantum));
        Assert.Equal(CosmicLayer.Cosmos, LayerModel.NextLayerUp(CosmicLayer.Ecosystem));
        Assert.Null(LayerModel.NextLayerUp(CosmicLayer.Cosmos));
    }

    [Fact]
    public void Create_CustomOptions_UsesThem()
    {
        var options = new LayerOptions { WarningRatio = 0.5, ImpactChangeRateWeight = 0.5, ImpactScaleFactorWeight = 0.25, ImpactDependencyWeight = 0.25 };
        options.EscapeVelocities[CosmicLayer.Atomic] = 0.25;
        options.EscapeVelocities.Remove(CosmicLayer.Cosmos); // falls back to the default

        var model = LayerModel.Create(options);

        Assert.Equal(0.25, model.GetEscapeVelocity(CosmicLayer.Atomic));
        Assert.Equal(0.38, model.GetEscapeVelocity(CosmicLayer.Cosmos));
        Assert.Equal(0.5, model.WarningRatio);
        Assert.Equal(new ImpactWeights(0.5, 0.25, 0.25), model.Weights);
        Assert.Equal(ImpactLevel.Warning, model.Classify(CosmicLayer.Atomic, 0.13)); // 0.5 × 0.25 = 0.125
        Assert.Equal(0.5 * 0.2 + 0.25 * 0.4 + 0.25 * 0.8, model.Impact(0.2, 0.4, 0.8), 15);
    }

    [Fact]
    public void Create_ModelIsSnapshot_LaterOptionChangesIgnored()
    {
        var options = new LayerOptions();
        var model = LayerModel.Create(options);
        options.EscapeVelocities[CosmicLayer.Quantum] = 0.01;
        options.WarningRatio = 0.1;
        Assert.Equal(0.12, model.GetEscapeVelocity(CosmicLayer.Quantum));
        Assert.Equal(0.8, model.WarningRatio);
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsNamingOption()
    {
        var options = new LayerOptions { WarningRatio = 1.0 };
        var ex = Assert.Throws<ArgumentException>(() => LayerModel.Create(options));
        Assert.Equal("options", ex.ParamName);
        Assert.Contains("WarningRatio", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => LayerModel.Create(null!));
    }
}
