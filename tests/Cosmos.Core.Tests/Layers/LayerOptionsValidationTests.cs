using Cosmos.Core.Layers;
using Cosmos.Core.Math;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cosmos.Core.Tests.Layers;

public class LayerOptionsValidationTests
{
    public static TheoryData<Action<CosmosCoreOptions>, string> InvalidOptions => new()
    {
        { o => o.Layers.EscapeVelocities[CosmicLayer.Atomic] = 0, "EscapeVelocities[Atomic]" },
        { o => o.Layers.EscapeVelocities[CosmicLayer.Cosmos] = 1.5, "EscapeVelocities[Cosmos]" },
        { o => o.Layers.EscapeVelocities[CosmicLayer.Quantum] = double.NaN, "EscapeVelocities[Quantum]" },
        { o => o.Layers.EscapeVelocities[CosmicLayer.Organic] = double.PositiveInfinity, "EscapeVelocities[Organic]" },
        { o => o.Layers.EscapeVelocities[CosmicLayer.Quantum] = -0.1, "EscapeVelocities[Quantum]" },
        { o => o.Layers.EscapeVelocities[CosmicLayer.Compound] = 0.25, "EscapeVelocities[Compound]" }, // below L3's 0.26
        { o => o.Layers.EscapeVelocities[(CosmicLayer)9] = 0.5, "EscapeVelocities has a key 9" },
        { o => o.Layers.WarningRatio = 0, "WarningRatio" },
        { o => o.Layers.WarningRatio = 1, "WarningRatio" },
        { o => o.Layers.WarningRatio = double.NaN, "WarningRatio" },
        { o => o.Layers.ImpactChangeRateWeight = -0.1, "ImpactChangeRateWeight" },
        { o => o.Layers.ImpactScaleFactorWeight = double.NaN, "ImpactScaleFactorWeight" },
        { o => o.Layers.ImpactDependencyWeight = double.PositiveInfinity, "ImpactDependencyWeight" },
        { o => o.Layers.ImpactDependencyWeight = 0.4, "must sum to 1" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void AddCosmosCore_InvalidLayerOption_FailsNamingOption(Action<CosmosCoreOptions> configure, string expected)
    {
        using var provider = new ServiceCollection().AddCosmosCore(configure).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CosmosCoreOptions>>().Value);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<LayerModel>());
    }

    [Fact]
    public void AddCosmosCore_InvalidLayerOption_FailsAtStart()
    {
        using var provider = new ServiceCollection().AddCosmosCore(o => o.Layers.WarningRatio = 2).BuildServiceProvider();

        // What a host runs when it starts: AddOptionsWithValidateOnStart registers the options with this validator.
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("CosmosCoreOptions.Layers.WarningRatio", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCosmosCore_EqualThresholds_Accepted()
    {
        using var provider = new ServiceCollection()
            .AddCosmosCore(o =>
            {
                foreach (var layer in Enum.GetValues<CosmicLayer>())
                {
                    o.Layers.EscapeVelocities[layer] = 1.0;
                }
            })
            .BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(1.0, provider.GetRequiredService<LayerModel>().GetEscapeVelocity(CosmicLayer.Quantum));
    }

    [Fact]
    public void AddCosmosCore_Defaults_RegistersOneDefaultLayerModel()
    {
        using var provider = new ServiceCollection().AddCosmosCore().BuildServiceProvider();
        var model = provider.GetRequiredService<LayerModel>();
        Assert.Same(model, provider.GetRequiredService<LayerModel>());
        Assert.Equal(LayerModel.Default.Layers, model.Layers);
        Assert.Equal(0.8, model.WarningRatio);
    }

    [Fact]
    public void AddCosmosCore_BoundFromConfiguration_OverridesOnlyGivenLayers()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cosmos:Layers:EscapeVelocities:Atomic"] = "0.25",
                ["Cosmos:Layers:WarningRatio"] = "0.75",
                ["Cosmos:Layers:ImpactChangeRateWeight"] = "0.5",
                ["Cosmos:Layers:ImpactScaleFactorWeight"] = "0.25",
                ["Cosmos:Layers:ImpactDependencyWeight"] = "0.25",
            })
            .Build();
        var services = new ServiceCollection().AddCosmosCore();
        services.Configure<CosmosCoreOptions>(configuration.GetSection("Cosmos"));
        using var provider = services.BuildServiceProvider();

        var model = provider.GetRequiredService<LayerModel>();
        Assert.Equal(0.25, model.GetEscapeVelocity(CosmicLayer.Atomic));
        Assert.Equal(0.26, model.GetEscapeVelocity(CosmicLayer.Molecular));
        Assert.Equal(0.75, model.WarningRatio);
        Assert.Equal(new ImpactWeights(0.5, 0.25, 0.25), model.Weights);
    }
}
