using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Cosmos.Core.Layers;
using Cosmos.Core.Math;

namespace Cosmos.Benchmarks.Core;

/// <summary>
/// Cumulative velocity of 16M doubles. Baseline: <c>TensorPrimitives.Sum</c> of the same array, a single read pass that
/// is bound by memory bandwidth (goal: ≤ 2×). The naive product loop is shown for reference; it is also inaccurate.
/// </summary>
[MemoryDiagnoser]
public class CumulativeVelocityBenchmarks
{
    private double[] _velocities = [];

    [Params(1 << 24)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _velocities = new double[Length];
        for (var i = 0; i < _velocities.Length; i++)
        {
            // Small velocities keep the result away from 1, the case where accuracy matters.
            _velocities[i] = random.NextDouble() * 1e-8;
        }
    }

    [Benchmark(Baseline = true, Description = "TensorPrimitives.Sum (bandwidth bound)")]
    public double SumBound() => TensorPrimitives.Sum(_velocities);

    [Benchmark(Description = "VelocityMath.CumulativeVelocity (exact to 1e-12, validated)")]
    public double CumulativeVelocity() => VelocityMath.CumulativeVelocity(_velocities);

    [Benchmark(Description = "Naive 1 − Π(1 − v) loop")]
    public double NaiveProduct()
    {
        var product = 1.0;
        foreach (var v in _velocities)
        {
            product *= 1 - v;
        }

        return 1 - product;
    }
}
