using Microsoft.Extensions.Logging;

namespace Cosmos.Embeddings.Onnx.Telemetry;

/// <summary>Source-generated log messages of Cosmos.Embeddings.Onnx; event ids 4500-4999 are stable.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4500, EventName = "OnnxModelLoaded", Level = LogLevel.Information,
        Message = "ONNX embedding model '{ModelId}' loaded from '{ModelPath}': {Dimensions} dimensions, {MaxSequenceLength} tokens, {Pooling} pooling, normalised {Normalize}")]
    public static partial void ModelLoaded(ILogger logger, string modelId, string modelPath, int dimensions, int maxSequenceLength, OnnxPoolingMode pooling, bool normalize);

    [LoggerMessage(EventId = 4501, EventName = "OnnxInputsTruncated", Level = LogLevel.Debug,
        Message = "{Truncated} of {Count} inputs were longer than {MaxSequenceLength} tokens and were embedded from their first tokens")]
    public static partial void InputsTruncated(ILogger logger, int truncated, int count, int maxSequenceLength);

    [LoggerMessage(EventId = 4502, EventName = "OnnxModelQuantized", Level = LogLevel.Information,
        Message = "ONNX embedding model '{ModelPath}' quantized to int8 in memory: {QuantizedMatMuls} MatMuls over constant weights rewritten")]
    public static partial void ModelQuantized(ILogger logger, string modelPath, int quantizedMatMuls);
}
