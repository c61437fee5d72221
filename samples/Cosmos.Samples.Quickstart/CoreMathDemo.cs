using System.Globalization;
using Cosmos.Core.Layers;
using Cosmos.Core.Math;
using Microsoft.Extensions.DependencyInjection;

namespace Cosmos.Samples.Quickstart;

/// <summary>The Cosmos.Core layers and math section of the quickstart.</summary>
internal static class CoreMathDemo
{
    public static Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        using var provider = new ServiceCollection()
            .AddCosmosCore(o => o.Layers.WarningRatio = 0.8) // the default, shown as the place hosts tune it
            .BuildServiceProvider();
        var model = provider.GetRequiredService<LayerModel>();

        output.WriteLine("The seven layers (escape velocity, isolation, recovery):");
        foreach (var p in model.Layers)
        {
            output.WriteLine(string.Create(inv, $"  L{(int)p.Layer} {p.Name,-10} {p.EscapeVelocity:0.00}  {p.IsolationStrategy,-22} {p.RecoveryMechanism}"));
        }

        var impact = model.Impact(changeRate: 0.2, scaleFactor: 0.1, dependencyWeight: 0.1); // 0.4·0.2 + 0.3·0.1 + 0.3·0.1
        output.WriteLine(string.Create(inv, $"Impact 0.4·0.2 + 0.3·0.1 + 0.3·0.1 = {impact:0.###}"));
        foreach (var i in new[] { impact, 0.17, 0.31 })
        {
            var levels = new[] { CosmicLayer.Quantum, CosmicLayer.Atomic, CosmicLayer.Cosmos }
                .Select(layer => $"L{(int)layer} {model.Classify(layer, i)}");
            output.WriteLine(string.Create(inv, $"  impact {i:0.00} → {string.Join(", ", levels)}"));
        }

        float[] changeRate = [0.1f, 0.5f, 0.9f, 0.3f];
        float[] scaleFactor = [0.2f, 0.5f, 0.8f, 0.1f];
        float[] dependencyWeight = [0.0f, 0.5f, 1.0f, 0.6f];
        var impacts = new float[changeRate.Length];
        VelocityMath.Impact(changeRate, scaleFactor, dependencyWeight, impacts); // one fused SIMD pass
        output.WriteLine($"Batch impact of four nodes: {string.Join(", ", impacts.Select(x => x.ToString("0.###", inv)))}");

        cancellationToken.ThrowIfCancellationRequested();
        var tiny = new double[1_000_000];
        Array.Fill(tiny, 1e-12);
        var naive = 1.0;
        foreach (var v in tiny)
        {
            naive *= 1 - v;
        }

        output.WriteLine("Cumulative velocity of 1,000,000 nodes at v = 1e-12 (exact: 9.9999950000066665e-7):");
        output.WriteLine(string.Create(inv, $"  VelocityMath.CumulativeVelocity = {VelocityMath.CumulativeVelocity(tiny):R}"));
        output.WriteLine(string.Create(inv, $"  naive 1 − Π(1 − v)              = {1 - naive:R}"));
        return Task.CompletedTask;
    }
}
