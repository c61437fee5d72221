using Cosmos.Embeddings.Onnx.Internal;
using Cosmos.Embeddings.Onnx.Tests.Model;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
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
    public void Quantize_MiniLmWithCalibratedRanges_TakesOutlierChannelsInFloatWithTheirExactWeights()
    {
        var original = File.ReadAllBytes(Path.Combine(MiniLmModelFiles.Directory, "model.onnx"));
        var floatGraph = ModelProto.Parser.ParseFrom(original).Graph;
        var floatWeights = floatGraph.Initializer.ToDictionary(i => i.Name);
        var encoder = new WordPieceEncoder(Path.Combine(MiniLmModelFiles.Directory, "vocab.txt"), lowerCase: true, stripAccents: true, maxSequenceLength: 256);
        var ranges = ActivationCalibrator.Measure(original, encoder, CalibrationCorpus.Texts, intraOpThreads: 1);

        var (bytes, quantized) = DynamicInt8Quantizer.Quantize(original, ranges);
        var graph = ModelProto.Parser.ParseFrom(bytes).Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);

        // Every weight MatMul's input was measured: 4 distinct inputs per layer (Q/K/V share one) × 6 layers.
        Assert.Equal(24, ranges.Count);
        Assert.Equal(36, quantized);
        Assert.Equal(36, graph.Node.Count(n => n.OpType == DynamicInt8Quantizer.QuantizedMatMulOperator));
        var outlierMatMuls = graph.Node.Where(n => n.OpType == "MatMul" && initializers.ContainsKey(n.Input[1])).ToList();
        Assert.NotEmpty(outlierMatMuls);
        foreach (var outlierMatMul in outlierMatMuls)
        {
            var gather = graph.Node.Single(n => n.Output.Contains(outlierMatMul.Input[0]));
            Assert.Equal("Gather", gather.OpType);
            var channels = ReadInt64s(initializers[gather.Input[1]]);
            var expected = DynamicInt8Quantizer.OutlierChannels(ranges[gather.Input[0]]);
            Assert.Equal(expected.Select(c => (long)c), channels);
            Assert.InRange(channels.Length, 1, DynamicInt8Quantizer.MaxOutlierChannels);

            // The float rows are the original weights' rows for those channels, bit for bit.
            var original32 = floatGraph.Node.Single(n => n.OpType == "MatMul" && outlierMatMul.Name.StartsWith(n.Name + "_", StringComparison.Ordinal));
            var source = floatWeights[original32.Input[1]];
            var columns = (int)source.Dims[1];
            var sourceValues = ReadFloats(source);
            var rows = ReadFloats(initializers[outlierMatMul.Input[1]]);
            for (var i = 0; i < channels.Length; i++)
            {
                Assert.Equal(sourceValues.AsSpan((int)channels[i] * columns, columns).ToArray(), rows.AsSpan(i * columns, columns).ToArray());
            }
        }

        // all-MiniLM-L6-v2's best-known outlier: channel 99 of the LayerNorm output that feeds the first feed-forward layer.
        Assert.Contains(99L, outlierMatMuls.SelectMany(m => ReadInt64s(initializers[graph.Node.Single(n => n.Output.Contains(m.Input[0])).Input[1]])));
    }

    [Fact]
    public void Quantize_InputOnlyInOutlierChannels_ProductIsTheFloatProductExactly()
    {
        // y = x · W + b over 4 channels, channel 2 an outlier: an input carried only by channel 2 never touches the int8 product,
        // so the result equals the float result exactly; an input spread over all channels stays within int8 rounding.
        float[] weights = [0.5f, -1.25f, 2f, 0.75f, 0.1f, -0.3f, 3.5f, -2.25f, 1f, 0.2f, -0.6f, 0.9f];
        float[] bias = [0.25f, -0.5f, 1f];
        var model = SingleMatMulModel(weights, bias);
        var ranges = new Dictionary<string, float[]> { ["x"] = [1f, 1f, 40f, 1f] };

        var (bytes, quantized) = DynamicInt8Quantizer.Quantize(model, ranges);

        Assert.Equal(1, quantized);
        using var floatSession = new InferenceSession(model);
        using var int8Session = new InferenceSession(bytes);
        float[] outlierOnly = [0f, 0f, 37.5f, 0f];
        Assert.Equal(Run(floatSession, outlierOnly), Run(int8Session, outlierOnly));

        float[] spread = [0.8f, -0.4f, 25f, 0.3f];
        var expected = Run(floatSession, spread);
        var actual = Run(int8Session, spread);
        for (var n = 0; n < expected.Length; n++)
        {
            Assert.True(MathF.Abs(expected[n] - actual[n]) < 0.05f, $"column {n}: {actual[n]} against {expected[n]}");
        }
    }

    [Fact]
    public void Quantize_MatMulWithoutBiasAsGraphOutput_KeepsTheOutputNameAndTheFloatOutlierProduct()
    {
        // No bias Add behind the MatMul, and its product is itself the graph's output: the outlier sum must take over that name.
        float[] weights = [0.5f, -1.25f, 2f, 0.75f, 0.1f, -0.3f, 3.5f, -2.25f, 1f, 0.2f, -0.6f, 0.9f];
        var model = SingleMatMulModel(weights, bias: null);
        var ranges = new Dictionary<string, float[]> { ["x"] = [30f, 1f, 1f, 1f] };

        var (bytes, _) = DynamicInt8Quantizer.Quantize(model, ranges);

        var graph = ModelProto.Parser.ParseFrom(bytes).Graph;
        Assert.Equal("y", Assert.Single(graph.Output).Name);
        Assert.Equal("Add", graph.Node.Single(n => n.Output.Contains("y")).OpType);
        using var floatSession = new InferenceSession(model);
        using var int8Session = new InferenceSession(bytes);
        float[] outlierOnly = [-28.25f, 0f, 0f, 0f];
        Assert.Equal(Run(floatSession, outlierOnly), Run(int8Session, outlierOnly));
    }

    [Property(Arbitrary = [typeof(RangeSets)], MaxTest = 300, Replay = "(20261130,1201)")]
    public void OutlierChannels_AnyRanges_AreTheLargestAboveThreeTimesTheMedianAscendingAndCapped(float[] ranges)
    {
        var channels = DynamicInt8Quantizer.OutlierChannels(ranges);

        var sorted = ranges.Order().ToArray();
        var threshold = sorted[sorted.Length / 2] * DynamicInt8Quantizer.OutlierFactor;
        var above = Enumerable.Range(0, ranges.Length).Where(i => ranges[i] > threshold).ToArray();
        Assert.Equal(Math.Min(above.Length, DynamicInt8Quantizer.MaxOutlierChannels), channels.Length);
        Assert.Equal(channels.Order(), channels);
        Assert.All(channels, c => Assert.True(ranges[c] > threshold));
        // Capped to the largest: nothing left out is larger than anything kept.
        var kept = channels.Select(c => ranges[c]).DefaultIfEmpty(float.PositiveInfinity).Min();
        Assert.All(above.Except(channels), c => Assert.True(ranges[c] <= kept));
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

    public static class RangeSets
    {
        public static Arbitrary<float[]> Ranges() =>
            (from length in Gen.Choose(1, 48)
             from values in Gen.ArrayOf(Gen.Frequency((9, Gen.Choose(0, 3_000)), (1, Gen.Choose(3_000, 60_000))).Select(v => v / 1000f), length)
             select values).ToArbitrary();
    }

    private static byte[] SingleMatMulModel(float[] weights, float[]? bias)
    {
        var graph = new GraphProto { Name = "single" };
        graph.Initializer.Add(FloatTensor("W", [4, 3], weights));
        var matMul = new NodeProto { OpType = "MatMul", Name = "MatMul_0" };
        matMul.Input.Add(["x", "W"]);
        graph.Node.Add(matMul);
        if (bias is null)
        {
            matMul.Output.Add("y");
        }
        else
        {
            graph.Initializer.Add(FloatTensor("b", [3], bias));
            matMul.Output.Add("xw");
            var add = new NodeProto { OpType = "Add", Name = "Add_0" };
            add.Input.Add(["xw", "b"]);
            add.Output.Add("y");
            graph.Node.Add(add);
        }

        graph.Input.Add(FloatValue("x", 1, 4));
        graph.Output.Add(FloatValue("y", 1, 3));
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model.ToByteArray();
    }

    private static TensorProto FloatTensor(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        return tensor;
    }

    private static ValueInfoProto FloatValue(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }

    private static float[] Run(InferenceSession session, float[] input)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, [1, input.Length]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [value], ["y"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static float[] ReadFloats(TensorProto tensor) =>
        tensor.RawData.IsEmpty ? [.. tensor.FloatData] : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();

    private static long[] ReadInt64s(TensorProto tensor) =>
        tensor.RawData.IsEmpty ? [.. tensor.Int64Data] : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray();

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
