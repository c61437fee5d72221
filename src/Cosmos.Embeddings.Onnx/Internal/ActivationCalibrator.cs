using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Cosmos.Embeddings.Onnx.Internal;

/// <summary>
/// Runs the float model over calibration texts and records, for the input of every weight MatMul, the largest |value| each
/// channel (the last axis) takes: the ranges <see cref="DynamicInt8Quantizer"/> finds outlier channels in.
/// </summary>
internal static class ActivationCalibrator
{
    /// <summary>Measures the channel ranges of <paramref name="floatModel"/>'s weight-MatMul inputs over <paramref name="texts"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model.</exception>
    public static Dictionary<string, float[]> Measure(byte[] floatModel, WordPieceEncoder encoder, IReadOnlyList<string> texts, int intraOpThreads)
    {
        var (model, activations) = DynamicInt8Quantizer.WithWeightMatMulInputsAsOutputs(floatModel);
        var ranges = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (activations.Count == 0)
        {
            return ranges;
        }

        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC, IntraOpNumThreads = intraOpThreads };
        using var session = new InferenceSession(model, options);
        var hasTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
        string[] inputNames = hasTokenTypes ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];
        var outputNames = activations.ToArray();
        using var runOptions = new RunOptions();
        foreach (var text in texts)
        {
            // One text per run: no padding, so every row the model produces belongs to a real token.
            var ids = encoder.Encode(text).Ids;
            long[] shape = [1, ids.Length];
            var mask = new long[ids.Length];
            Array.Fill(mask, 1L);
            using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
            using var typesValue = hasTokenTypes ? OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape) : null;
            OrtValue[] values = hasTokenTypes ? [idsValue, maskValue, typesValue!] : [idsValue, maskValue];
            using var outputs = session.Run(runOptions, inputNames, values, outputNames);
            for (var i = 0; i < outputNames.Length; i++)
            {
                Accumulate(ranges, outputNames[i], outputs[i]);
            }
        }

        return ranges;
    }

    private static void Accumulate(Dictionary<string, float[]> ranges, string name, OrtValue value)
    {
        var data = value.GetTensorDataAsSpan<float>();
        var width = (int)value.GetTensorTypeAndShape().Shape[^1];
        if (width <= 0 || data.Length % width != 0)
        {
            return;
        }

        if (!ranges.TryGetValue(name, out var range))
        {
            range = new float[width];
            ranges[name] = range;
        }

        if (range.Length != width)
        {
            return;
        }

        for (var row = 0; row < data.Length; row += width)
        {
            TensorPrimitives.MaxMagnitude(range, data.Slice(row, width), range);
        }
    }
}
