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
/// <para>Given measured activation ranges, a MatMul whose input has outlier channels is split: <c>x · W = (x · mask) · W_int8 + x[:, outliers] · W[outliers, :]</c>,
/// the first product int8 over the inlier channels (whose quantization step no longer has to span the outliers), the second a
/// small float product over at most <see cref="MaxOutlierChannels"/> channels.</para>
/// </remarks>
internal static class DynamicInt8Quantizer
{
    /// <summary>The operator domain of ONNX Runtime's contrib operators.</summary>
    public const string MicrosoftDomain = "com.microsoft";

    /// <summary>The fused operator written in place of each weight MatMul.</summary>
    public const string QuantizedMatMulOperator = "DynamicQuantizeMatMul";

    private const int FloatType = 1;
    private const int Int8Type = 3;
    private const int Int64Type = 7;

    /// <summary>Returns the quantized model's bytes and how many MatMuls were rewritten.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model.</exception>
    public static (byte[] Model, int QuantizedMatMuls) Quantize(byte[] model) => Quantize(model, squareWeightsOnly: false);

    /// <summary>Returns the quantized model's bytes; with <paramref name="squareWeightsOnly"/>, only MatMuls over square [K, K]
    /// weights (a transformer's attention projections) are quantized and the feed-forward ones ([K, 4K], [4K, K]) stay float.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model.</exception>
    public static (byte[] Model, int QuantizedMatMuls) Quantize(byte[] model, bool squareWeightsOnly)
        => Quantize(model, squareWeightsOnly, channelRanges: null);

    /// <summary>
    /// Returns the quantized model's bytes with every weight MatMul in int8 except, per MatMul, the input channels that
    /// <paramref name="channelRanges"/> shows to be outliers: those are multiplied in float (see <see cref="OutlierChannels"/>).
    /// </summary>
    /// <param name="model">The float model.</param>
    /// <param name="channelRanges">Per activation (a weight MatMul's input, by tensor name), the largest |value| seen in each channel
    /// (the last axis), as <see cref="ActivationCalibrator"/> measures it.</param>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model.</exception>
    public static (byte[] Model, int QuantizedMatMuls) Quantize(byte[] model, IReadOnlyDictionary<string, float[]> channelRanges)
        => Quantize(model, squareWeightsOnly: false, channelRanges);

    /// <summary>Returns the model's bytes with the input of every weight MatMul added as a graph output, and those inputs' names:
    /// the graph <see cref="ActivationCalibrator"/> runs to measure activation ranges.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model.</exception>
    public static (byte[] Model, IReadOnlyList<string> Activations) WithWeightMatMulInputsAsOutputs(byte[] model)
    {
        var proto = Parse(model);
        var graph = proto.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var activations = new List<string>();
        foreach (var node in graph.Node)
        {
            if (IsWeightMatMul(node, initializers) && !activations.Contains(node.Input[0]))
            {
                activations.Add(node.Input[0]);
                if (outputs.Add(node.Input[0]))
                {
                    graph.Output.Add(new ValueInfoProto
                    {
                        Name = node.Input[0],
                        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType } },
                    });
                }
            }
        }

        return (proto.ToByteArray(), activations);
    }

    /// <summary>
    /// The channels of one activation kept in float: those whose range is above <see cref="OutlierFactor"/> times the median
    /// channel's, at most <see cref="MaxOutlierChannels"/> (the largest), in ascending order.
    /// </summary>
    /// <remarks>
    /// Transformer activations carry a few channels tens of times larger than the rest (all-MiniLM-L6-v2: channel 99 of the
    /// LayerNorm outputs near 30 against a median near 1.7). Per-tensor activation quantization sizes its step to the largest
    /// value, so those few channels cost every other channel most of its precision; taking them out of the int8 product
    /// (LLM.int8()'s mixed-precision decomposition) shrinks the step several times at the cost of a [tokens, k] × [k, N] float product.
    /// </remarks>
    internal static int[] OutlierChannels(ReadOnlySpan<float> ranges)
    {
        if (ranges.IsEmpty)
        {
            return [];
        }

        var values = ranges.ToArray();
        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        var threshold = sorted[sorted.Length / 2] * OutlierFactor;
        var candidates = new List<int>();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] > threshold)
            {
                candidates.Add(i);
            }
        }

        candidates.Sort((a, b) => values[b].CompareTo(values[a]) is var byRange and not 0 ? byRange : a.CompareTo(b));
        var kept = candidates.Take(MaxOutlierChannels).ToArray();
        Array.Sort(kept);
        return kept;
    }

    /// <summary>How many times the median channel's range marks a channel as an outlier.</summary>
    internal const float OutlierFactor = 3f;

    /// <summary>The most channels of one activation kept in float.</summary>
    internal const int MaxOutlierChannels = 16;

    private static (byte[] Model, int QuantizedMatMuls) Quantize(byte[] model, bool squareWeightsOnly, IReadOnlyDictionary<string, float[]>? channelRanges)
    {
        var proto = Parse(model);
        var graph = proto.Graph;
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
        var names = new UniqueNames(graph);
        var split = new Dictionary<string, (string Inliers, string Outliers, int[] Channels)>(StringComparer.Ordinal);
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                producers[output] = node;
            }
        }

        // New nodes are placed right after the node whose output they read, which keeps the graph topologically sorted.
        var after = new Dictionary<NodeProto, List<NodeProto>>(ReferenceEqualityComparer.Instance);
        var atStart = new List<NodeProto>();
        foreach (var node in graph.Node.ToList())
        {
            if (!IsWeightMatMul(node, initializers)
                || !initializers.TryGetValue(node.Input[1], out var weights)
                || (squareWeightsOnly && weights.Dims[0] != weights.Dims[1]))
            {
                continue;
            }

            var rows = checked((int)weights.Dims[0]);
            var columns = checked((int)weights.Dims[1]);
            var values = ReadFloats(weights, rows * columns);
            var activation = node.Input[0];
            if (channelRanges is not null && channelRanges.TryGetValue(activation, out var ranges) && ranges.Length == rows)
            {
                var channels = OutlierChannels(ranges);
                if (channels.Length > 0)
                {
                    if (!split.TryGetValue(activation, out var parts))
                    {
                        parts = SplitActivation(graph, names, initializers, activation, channels, rows,
                            producers.TryGetValue(activation, out var producer) ? Following(after, producer) : atStart);
                        split[activation] = parts;
                    }

                    var resultNode = ResultNode(graph, node, initializers);
                    AddFloatOutlierProduct(graph, names, initializers, node, resultNode, parts, values, columns, Following(after, resultNode));
                    activation = parts.Inliers;

                    // Their products are taken in float; zero rows also keep them out of the columns' int8 scales.
                    foreach (var channel in parts.Channels)
                    {
                        values.AsSpan(channel * columns, columns).Clear();
                    }
                }
            }

            var (quantizedWeights, scales) = QuantizePerColumn(values, rows, columns);

            var weightName = names.Take(weights.Name + "_int8");
            var scaleName = names.Take(weights.Name + "_scale");
            var int8Tensor = new TensorProto { Name = weightName, DataType = Int8Type, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(quantizedWeights.AsSpan())) };
            int8Tensor.Dims.Add([rows, columns]);
            var scaleTensor = new TensorProto { Name = scaleName, DataType = FloatType, RawData = ToLittleEndian(scales) };
            scaleTensor.Dims.Add(columns);
            graph.Initializer.Add(int8Tensor);
            graph.Initializer.Add(scaleTensor);
            initializers[weightName] = int8Tensor;
            initializers[scaleName] = scaleTensor;

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

        if (after.Count > 0 || atStart.Count > 0)
        {
            var ordered = new List<NodeProto>(atStart);
            foreach (var node in graph.Node)
            {
                ordered.Add(node);
                if (after.TryGetValue(node, out var following))
                {
                    ordered.AddRange(following);
                }
            }

            graph.Node.Clear();
            graph.Node.Add(ordered);
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

    private static ModelProto Parse(byte[] model)
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

        return proto.Graph is null ? throw new InvalidDataException("The ONNX model has no graph.") : proto;
    }

    private static bool IsWeightMatMul(NodeProto node, Dictionary<string, TensorProto> initializers) =>
        node.OpType == "MatMul" && node.Domain.Length == 0 && node.Input.Count == 2
        && initializers.TryGetValue(node.Input[1], out var weights) && weights.DataType == FloatType && weights.Dims.Count == 2;

    private static List<NodeProto> Following(Dictionary<NodeProto, List<NodeProto>> after, NodeProto node)
    {
        if (!after.TryGetValue(node, out var list))
        {
            list = [];
            after[node] = list;
        }

        return list;
    }

    /// <summary>The MatMul's bias Add when it is the only reader of the product (so ONNX Runtime can still fold the bias into the
    /// int8 operator), otherwise the MatMul itself: the node after whose result the float outlier product is added.</summary>
    private static NodeProto ResultNode(GraphProto graph, NodeProto matMul, Dictionary<string, TensorProto> initializers)
    {
        var readers = graph.Node.Where(n => n.Input.Contains(matMul.Output[0])).ToList();
        return readers is [{ OpType: "Add", Domain.Length: 0 } add] && add.Input.Count == 2
            && add.Input.Any(initializers.ContainsKey) && !graph.Output.Any(o => o.Name == matMul.Output[0])
            ? add
            : matMul;
    }

    /// <summary>Adds <c>inliers = x · mask</c> (outlier channels zeroed) and <c>outliers = Gather(x, channels, axis -1)</c>.</summary>
    private static (string Inliers, string Outliers, int[] Channels) SplitActivation(
        GraphProto graph, UniqueNames names, Dictionary<string, TensorProto> initializers, string activation, int[] channels, int width, List<NodeProto> following)
    {
        var mask = new float[width];
        Array.Fill(mask, 1f);
        foreach (var channel in channels)
        {
            mask[channel] = 0f;
        }

        var maskName = AddInitializer(graph, initializers, names.Take(activation + "_inlier_mask"), FloatType, [width], ToLittleEndian(mask));
        var indices = new byte[channels.Length * sizeof(long)];
        for (var i = 0; i < channels.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(indices.AsSpan(i * sizeof(long)), channels[i]);
        }

        var indexName = AddInitializer(graph, initializers, names.Take(activation + "_outlier_channels"), Int64Type, [channels.Length], ByteString.CopyFrom(indices));
        var inliers = names.Take(activation + "_inliers");
        var outliers = names.Take(activation + "_outliers");
        var multiply = new NodeProto { OpType = "Mul", Name = names.Take(activation + "_inlier_mask_mul") };
        multiply.Input.Add([activation, maskName]);
        multiply.Output.Add(inliers);
        var gather = new NodeProto { OpType = "Gather", Name = names.Take(activation + "_outlier_gather") };
        gather.Input.Add([activation, indexName]);
        gather.Output.Add(outliers);
        gather.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -1 });
        following.Add(multiply);
        following.Add(gather);
        return (inliers, outliers, channels);
    }

    /// <summary>Adds <c>result += outliers · W[channels, :]</c> in float after <paramref name="resultNode"/> (the nodes go to
    /// <paramref name="following"/>, its list of successors).</summary>
    private static void AddFloatOutlierProduct(
        GraphProto graph, UniqueNames names, Dictionary<string, TensorProto> initializers, NodeProto matMul, NodeProto resultNode,
        (string Inliers, string Outliers, int[] Channels) parts, float[] weights, int columns, List<NodeProto> following)
    {
        var rows = new float[parts.Channels.Length * columns];
        for (var i = 0; i < parts.Channels.Length; i++)
        {
            weights.AsSpan(parts.Channels[i] * columns, columns).CopyTo(rows.AsSpan(i * columns));
        }

        var weightName = AddInitializer(graph, initializers, names.Take(matMul.Input[1] + "_outlier_rows"), FloatType, [parts.Channels.Length, columns], ToLittleEndian(rows));
        var product = names.Take(matMul.Name + "_outlier_product");
        var floatMatMul = new NodeProto { OpType = "MatMul", Name = names.Take(matMul.Name + "_outlier_matmul") };
        floatMatMul.Input.Add([parts.Outliers, weightName]);
        floatMatMul.Output.Add(product);

        // The result keeps its name (readers and graph outputs are unchanged); the int8 part is renamed.
        var result = resultNode.Output[0];
        var partial = names.Take(result + "_inliers");
        resultNode.Output[0] = partial;
        var sum = new NodeProto { OpType = "Add", Name = names.Take(matMul.Name + "_outlier_add") };
        sum.Input.Add([partial, product]);
        sum.Output.Add(result);
        following.Add(floatMatMul);
        following.Add(sum);
    }

    private static string AddInitializer(GraphProto graph, Dictionary<string, TensorProto> initializers, string name, int dataType, long[] dims, ByteString data)
    {
        var tensor = new TensorProto { Name = name, DataType = dataType, RawData = data };
        tensor.Dims.Add(dims);
        graph.Initializer.Add(tensor);
        initializers[name] = tensor;
        return name;
    }

    /// <summary>Hands out value and node names not yet used anywhere in the graph.</summary>
    private sealed class UniqueNames
    {
        private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

        public UniqueNames(GraphProto graph)
        {
            foreach (var node in graph.Node)
            {
                _taken.Add(node.Name);
                _taken.UnionWith(node.Input);
                _taken.UnionWith(node.Output);
            }

            _taken.UnionWith(graph.Initializer.Select(i => i.Name));
            _taken.UnionWith(graph.Input.Select(i => i.Name));
            _taken.UnionWith(graph.Output.Select(o => o.Name));
        }

        public string Take(string name)
        {
            var candidate = name;
            for (var i = 1; !_taken.Add(candidate); i++)
            {
                candidate = name + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return candidate;
        }
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

    private static bool IsGraphOutput(GraphProto graph, string name) => graph.Output.Any(o => o.Name == name);
}
