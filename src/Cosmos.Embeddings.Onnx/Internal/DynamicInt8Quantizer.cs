using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Cosmos.Embeddings.Onnx.Internal;

/// <summary>
/// Rewrites an ONNX graph for dynamic int8 inference, as ONNX Runtime's Python <c>quantize_dynamic</c> does: every <c>MatMul</c>
/// whose weight input B is a constant float matrix [K, N] becomes a <c>com.microsoft</c> <c>DynamicQuantizeMatMul</c> over int8
/// weights with one scale per column.
/// </summary>
/// <remarks>
/// <para>Weights, per column n: <c>scale[n] = max_k |B[k, n]| / 127</c>, <c>Bq[k, n] = clamp(round(B[k, n] / scale[n]), -127, 127)</c>,
/// zero point 0 (symmetric). The largest rounding error of a weight is <c>scale[n] / 2</c>; a scale per column rather than per
/// tensor keeps a column of small weights from being flattened by another column's outlier.</para>
/// <para>Activations are quantized at run time, per tensor, to uint8 with a zero point (asymmetric) by the operator itself; uint8
/// activations times int8 weights is the pairing the AVX-512 VNNI (<c>vpdpbusd</c>) kernels of ONNX Runtime's MLAS run.</para>
/// <para>Only MatMuls with constant weights change: the attention products (Q·Kᵀ, softmax·V) multiply two activations and stay float.</para>
/// </remarks>
internal static class DynamicInt8Quantizer
{
    /// <summary>The operator domain of ONNX Runtime's contrib operators.</summary>
    public const string MicrosoftDomain = "com.microsoft";

    /// <summary>The fused operator written in place of each weight MatMul.</summary>
    public const string QuantizedMatMulOperator = "DynamicQuantizeMatMul";

    private const int FloatType = 1;
    private const int Int8Type = 3;

    /// <summary>Returns the quantized model's bytes and how many MatMuls were rewritten.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model.</exception>
    public static (byte[] Model, int QuantizedMatMuls) Quantize(byte[] model) => Quantize(model, squareWeightsOnly: false);

    /// <summary>Returns the quantized model's bytes; with <paramref name="squareWeightsOnly"/>, only MatMuls over square [K, K]
    /// weights (a transformer's attention projections) are quantized and the feed-forward ones ([K, 4K], [4K, K]) stay float.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model.</exception>
    public static (byte[] Model, int QuantizedMatMuls) Quantize(byte[] model, bool squareWeightsOnly)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException("The file is not an ONNX model: " + e.Message, e);
        }

        var graph = proto.Graph ?? throw new InvalidDataException("The ONNX model has no graph.");
        var initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var initializer in graph.Initializer)
        {
            initializers[initializer.Name] = initializer;
        }

        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input)
            {
                uses[input] = uses.GetValueOrDefault(input) + 1;
            }
        }

        var quantized = 0;
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            if (node.OpType != "MatMul" || node.Domain.Length != 0 || node.Input.Count != 2
                || !initializers.TryGetValue(node.Input[1], out var weights)
                || weights.DataType != FloatType || weights.Dims.Count != 2
                || (squareWeightsOnly && weights.Dims[0] != weights.Dims[1]))
            {
                continue;
            }

            var rows = checked((int)weights.Dims[0]);
            var columns = checked((int)weights.Dims[1]);
            var values = ReadFloats(weights, rows * columns);
            var (quantizedWeights, scales) = QuantizePerColumn(values, rows, columns);

            var weightName = UniqueName(initializers, weights.Name + "_int8");
            var scaleName = UniqueName(initializers, weights.Name + "_scale");
            var int8Tensor = new TensorProto { Name = weightName, DataType = Int8Type, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(quantizedWeights.AsSpan())) };
            int8Tensor.Dims.Add([rows, columns]);
            var scaleTensor = new TensorProto { Name = scaleName, DataType = FloatType, RawData = ToLittleEndian(scales) };
            scaleTensor.Dims.Add(columns);
            graph.Initializer.Add(int8Tensor);
            graph.Initializer.Add(scaleTensor);
            initializers[weightName] = int8Tensor;
            initializers[scaleName] = scaleTensor;

            var activation = node.Input[0];
            node.OpType = QuantizedMatMulOperator;
            node.Domain = MicrosoftDomain;
            node.Input.Clear();
            node.Input.Add([activation, weightName, scaleName]);

            if ((uses[weights.Name] -= 1) == 0)
            {
                replaced.Add(weights.Name);
            }

            quantized++;
        }

        // Float weights nothing reads any more are dropped, which is where the model shrinks to about a quarter.
        for (var i = graph.Initializer.Count - 1; i >= 0; i--)
        {
            if (replaced.Contains(graph.Initializer[i].Name) && !IsGraphOutput(graph, graph.Initializer[i].Name))
            {
                graph.Initializer.RemoveAt(i);
            }
        }

        if (quantized > 0 && !proto.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
        {
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        }

        return (proto.ToByteArray(), quantized);
    }

    /// <summary>Symmetric int8 per column of a row-major [rows, columns] matrix; see the type's remarks for the formula.</summary>
    internal static (sbyte[] Weights, float[] Scales) QuantizePerColumn(ReadOnlySpan<float> values, int rows, int columns)
    {
        var scales = new float[columns];
        for (var r = 0; r < rows; r++)
        {
            var row = values.Slice(r * columns, columns);
            for (var c = 0; c < columns; c++)
            {
                scales[c] = MathF.Max(scales[c], MathF.Abs(row[c]));
            }
        }

        for (var c = 0; c < columns; c++)
        {
            // An all-zero column quantizes to zeros under any scale; 1 avoids dividing by zero.
            scales[c] = scales[c] > 0f ? scales[c] / 127f : 1f;
        }

        var weights = new sbyte[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var q = MathF.Round(values[(r * columns) + c] / scales[c], MidpointRounding.ToEven);
                weights[(r * columns) + c] = (sbyte)Math.Clamp(q, -127f, 127f);
            }
        }

        return (weights, scales);
    }

    private static float[] ReadFloats(TensorProto tensor, int count)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new InvalidDataException($"The weights '{tensor.Name}' are stored outside the model file; int8 quantization needs them inside it.");
        }

        var values = new float[count];
        if (!tensor.RawData.IsEmpty)
        {
            var raw = tensor.RawData.Span;
            if (raw.Length != count * sizeof(float))
            {
                throw new InvalidDataException($"The weights '{tensor.Name}' hold {raw.Length} bytes; {count} floats were expected.");
            }

            for (var i = 0; i < count; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float), sizeof(float)));
            }
        }
        else
        {
            if (tensor.FloatData.Count != count)
            {
                throw new InvalidDataException($"The weights '{tensor.Name}' hold {tensor.FloatData.Count} floats; {count} were expected.");
            }

            tensor.FloatData.CopyTo(values, 0);
        }

        return values;
    }

    private static ByteString ToLittleEndian(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return ByteString.CopyFrom(bytes);
    }

    private static string UniqueName(Dictionary<string, TensorProto> taken, string name)
    {
        var candidate = name;
        for (var i = 1; taken.ContainsKey(candidate); i++)
        {
            candidate = name + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static bool IsGraphOutput(GraphProto graph, string name) => graph.Output.Any(o => o.Name == name);
}
