using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Cosmos.Core.Layers;
using Cosmos.Core.Math;

namespace Cosmos.Benchmarks.Core;

/// <summary>
/// Batch impact over float spans. Baseline: <c>TensorPrimitives.FusedMultiplyAdd</c> over arrays of the same size, which
/// reads three spans and writes one like the impact does, so it is the memory-bandwidth bound (goal at 16M: ≤ 1.3×).
/// </summary>
[MemoryDiagnoser]
public class ImpactBenchmarks
{
    private float[] _changeRate = [];
    private float[] _scaleFactor = [];
    private float[] _dependencyWeight = [];
    private float[] _destination = [];

    [Params(1_024, 1 << 20, 1 << 24)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _changeRate = Fill(random, Length);
        _scaleFactor = Fill(random, Length);
        _dependencyWeight = Fill(random, Length);
        _destination = new float[Length];
    }

    [Benchmark(Baseline = true, Description = "TensorPrimitives.FusedMultiplyAdd (bandwidth bound)")]
    public void FusedMultiplyAddBound()
        => TensorPrimitives.FusedMultiplyAdd(_changeRate, _scaleFactor, _dependencyWeight, _destination);

    [Benchmark(Description = "VelocityMath.Impact (fused, validated)")]
    public void Impact() => VelocityMath.Impact(_changeRate, _scaleFactor, _dependencyWeight, _destination);

    [Benchmark(Description = "Scalar loop (validated)")]
    public void ScalarLoop()
    {
        var c = _changeRate;
        var s = _scaleFactor;
        var d = _dependencyWeight;
        var dst = _destination;
        for (var i = 0; i < c.Length; i++)
        {
            if (!(c[i] is >= 0 and <= 1 && s[i] is >= 0 and <= 1 && d[i] is >= 0 and <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(c));
            }

            dst[i] = (0.4f * c[i]) + (0.3f * s[i]) + (0.3f * d[i]);
        }
    }

    private static float[] Fill(Random random, int length)
    {
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSingle();
        }

        return values;
    }
}
