using Cosmos.Embeddings.Onnx.Internal;
using Cosmos.Embeddings.Onnx.Tests.Model;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Onnx;

namespace Cosmos.Embeddings.Onnx.Tests.Internal;

public sealed class DynamicInt8QuantizerTests
{
    [Fact]
    public void Quantize_MiniLm_LeavesNoFloatMatMulOverWeights()
    {
        var original = File.ReadAllBytes(Path.Combine(MiniLmModelFiles.Directory, "model.onnx"));
        var floatGraph = ModelProto.Parser.ParseFrom(original).Graph;
        var weightMatMuls = floatGraph.Node.Count(n => n.OpType == "MatMul" && floatGraph.Initializer.Any(i => i.Name == n.Input[1]));

        var (bytes, quantized) = DynamicInt8Quantizer.Quantize(original);
        var model = ModelProto.Parser.ParseFrom(bytes);
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);

        // all-MiniLM-L6-v2: 6 layers × (Q, K, V, attention output, FFN in, FFN out).
        Assert.Equal(36, weightMatMuls);
        Assert.Equal(weightMatMuls, quantized);
        Assert.DoesNotContain(graph.Node, n => n.OpType == "MatMul" && initializers.ContainsKey(n.Input[1]));
        var integer = graph.Node.Where(n => n.OpType == DynamicInt8Quantizer.QuantizedMatMulOperator).ToList();
        Assert.Equal(36, integer.Count);
        Assert.All(integer, n =>
        {
            Assert.Equal(DynamicInt8Quantizer.MicrosoftDomain, n.Domain);
            Assert.Equal((int)TensorProto.Types.DataType.Int8, initializers[n.Input[1]].DataType);
            Assert.Equal(initializers[n.Input[1]].Dims[1], initializers[n.Input[2]].Dims[0]);
        });

        // The attention products multiply two activations and stay float.
        Assert.Equal(12, graph.Node.Count(n => n.OpType == "MatMul"));
        Assert.Contains(model.OpsetImport, o => o.Domain == DynamicInt8Quantizer.MicrosoftDomain);
        // The float word-embedding table (30522 × 384) stays; the 42.5 MB of MatMul weights shrink to a quarter.
        Assert.True(bytes.Length < original.Length * 0.7, $"{bytes.Length} of {original.Length} bytes");
    }

    [Fact]
    public void Quantize_SquareWeightsOnly_LeavesFeedForwardFloat()
    {
        var original = File.ReadAllBytes(Path.Combine(MiniLmModelFiles.Directory, "model.onnx"));

        var (bytes, quantized) = DynamicInt8Quantizer.Quantize(original, squareWeightsOnly: true);
        var graph = ModelProto.Parser.ParseFrom(bytes).Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);

        // 6 layers × (Q, K, V, attention output) in int8; 6 × (FFN in, FFN out) and the 12 attention products float.
        Assert.Equal(24, quantized);
        Assert.Equal(24, graph.Node.Count(n => n.OpType == DynamicInt8Quantizer.QuantizedMatMulOperator));
        var floatWeightMatMuls = graph.Node.Where(n => n.OpType == "MatMul" && initializers.ContainsKey(n.Input[1])).ToList();
        Assert.Equal(12, floatWeightMatMuls.Count);
        Assert.All(floatWeightMatMuls, n => Assert.NotEqual(initializers[n.Input[1]].Dims[0], initializers[n.Input[1]].Dims[1]));
    }

    [Fact]
    public void Quantize_NotAModel_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => DynamicInt8Quantizer.Quantize([0xFF, 0xFF, 0xFF, 0xFF]));
    }

    [Property(Arbitrary = [typeof(Matrices)], MaxTest = 200, Replay = "(20261130,1131)")]
    public void QuantizePerColumn_AnyMatrix_RoundTripsWithinHalfAStep(Matrix matrix)
    {
        var (weights, scales) = DynamicInt8Quantizer.QuantizePerColumn(matrix.Values, matrix.Rows, matrix.Columns);

        for (var r = 0; r < matrix.Rows; r++)
        {
            for (var c = 0; c < matrix.Columns; c++)
            {
                var value = matrix.Values[(r * matrix.Columns) + c];
                var q = weights[(r * matrix.Columns) + c];
                Assert.InRange(q, -127, 127);
                Assert.True(MathF.Abs((q * scales[c]) - value) <= (scales[c] * 0.5f) + 1e-6f, $"[{r},{c}] {value} -> {q} × {scales[c]}");
            }
        }
    }

    public sealed record Matrix(int Rows, int Columns, float[] Values);

    public static class Matrices
    {
        public static Arbitrary<Matrix> Matrix() =>
            (from rows in Gen.Choose(1, 8)
             from columns in Gen.Choose(1, 8)
             from values in Gen.ArrayOf(Gen.Choose(-100_000, 100_000).Select(v => v / 1000f), rows * columns)
             select new Matrix(rows, columns, values)).ToArbitrary();
    }
}
