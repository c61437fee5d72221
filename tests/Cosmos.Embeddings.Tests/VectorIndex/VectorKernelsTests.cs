using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cosmos.Embeddings.Tests.VectorIndex;

public sealed class VectorKernelsTests
{
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        foreach (int n in new[] { 0, 1, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 96, 100, 128, 384, 385 })
        {
            data.Add(n);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void DotRows_EverySimdPath_EqualsScalarLoop(int dimensions)
    {
        var random = new Random(dimensions);
        foreach (int rows in new[] { 0, 1, 3, 4, 5, 9 })
        {
            float[] query = Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            float[] slab = Enumerable.Range(0, rows * dimensions).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            float[] expected = new float[rows];
            VectorKernels.DotRowsScalar(query, slab, expected);

            var paths = new List<Action<float[]>> { s => VectorKernels.DotRows(query, slab, s), s => VectorKernels.DotRowsTensorPrimitives(query, slab, s) };
            if (Vector512.IsHardwareAccelerated)
            {
                paths.Add(s => VectorKernels.DotRowsVector512(query, slab, s));
            }

            if (Vector256.IsHardwareAccelerated)
            {
                paths.Add(s => VectorKernels.DotRowsVector256(query, slab, s));
            }

            foreach (var path in paths)
            {
                float[] actual = new float[rows];
                path(actual);
                for (int r = 0; r < rows; r++)
                {
                    Assert.Equal(expected[r], actual[r], 1e-4f);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void DotRowsInt8_EverySimdPath_ExactlyEqualsScalarLoop(int dimensions)
    {
        var random = new Random(dimensions + 1000);
        foreach (int rows in new[] { 0, 1, 3, 4, 5, 9 })
        {
            // Extremes included: the kernels must not saturate at 255 · -127 or 255 · 127.
            sbyte[] query = Enumerable.Range(0, dimensions).Select(j => j % 7 == 0 ? (sbyte)-127 : (sbyte)random.Next(-127, 128)).ToArray();
            byte[] slab = Enumerable.Range(0, rows * dimensions).Select(j => j % 5 == 0 ? (byte)255 : (byte)random.Next(0, 256)).ToArray();
            int[] expected = new int[rows];
            VectorKernels.DotRowsInt8Scalar(query, slab, expected);

            var paths = new List<Action<int[]>> { s => VectorKernels.DotRowsInt8(query, slab, s) };
            if (AvxVnni.IsSupported && dimensions >= 32)
            {
                paths.Add(s => VectorKernels.DotRowsInt8Vnni(query, slab, s));
            }

            if (Avx512BW.IsSupported && dimensions >= 32)
            {
                paths.Add(s => VectorKernels.DotRowsInt8Avx512(query, slab, s));
            }

            if (Avx2.IsSupported && dimensions >= 16)
            {
                paths.Add(s => VectorKernels.DotRowsInt8Avx2(query, slab, s));
            }

            foreach (var path in paths)
            {
                int[] actual = new int[rows];
                path(actual);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void DotRowsVector512_TooFewRowValues_ThrowsNamingRows()
    {
        var ex = Assert.Throws<ArgumentException>(() => VectorKernels.DotRowsVector512(new float[16], new float[31], new float[2]));
        Assert.Equal("rows", ex.ParamName);
    }
}
