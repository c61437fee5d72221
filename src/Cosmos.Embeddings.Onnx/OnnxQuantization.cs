namespace Cosmos.Embeddings.Onnx;

/// <summary>How <see cref="OnnxEmbeddingGenerator"/> runs the model's weights. Quantization happens once, in memory, when the
/// generator loads the model; the file on disk is never changed.</summary>
/// <remarks>
/// Both int8 modes rewrite a <c>MatMul</c> over constant float weights [K, N] as ONNX Runtime's <c>DynamicQuantizeMatMul</c>:
/// int8 weights, symmetric, one scale per output column (<c>scale[n] = max_k |W[k, n]| / 127</c>), and activations quantized to
/// uint8 per tensor at run time, the pairing the int8 dot-product instructions (AVX-512 VNNI, AVX-VNNI, ARM dot product) run.
/// </remarks>
public enum OnnxQuantization
{
    /// <summary>The graph as stored, usually float32: the reference vectors.</summary>
    None = 0,

    /// <summary>Every MatMul over constant weights in int8, as ONNX Runtime's <c>quantize_dynamic</c> and fastembed's quantized
    /// models do: the smallest and fastest graph, the least faithful. On all-MiniLM-L6-v2 over 206 varied inputs: mean cosine
    /// 0.9925 against <see cref="None"/>, lowest 0.959 (short inputs such as "OK!" move most).</summary>
    Int8Dynamic = 1,

    /// <summary>MatMuls over square weights (a transformer's attention projections Q, K, V and output) in int8; the feed-forward
    /// MatMuls, whose inputs (LayerNorm outliers, the GELU tail) lose most under per-tensor activation quantization, stay float.
    /// On all-MiniLM-L6-v2 over 206 varied inputs: mean cosine 0.9987 against <see cref="None"/>, lowest 0.994.</summary>
    Int8DynamicAttention = 2,

    /// <summary>Every MatMul over constant weights in int8, as <see cref="Int8Dynamic"/>, except the few input channels whose range is
    /// an outlier: those are multiplied in float (LLM.int8()'s mixed-precision decomposition). The ranges are measured once at load
    /// by running the float model over a built-in set of calibration texts; a channel above 3× the median channel's range (at most
    /// 16 per activation) is an outlier. About 1.2× the time of <see cref="Int8Dynamic"/> and half that of <see cref="None"/>,
    /// with vectors almost as close to the float ones as <see cref="Int8DynamicAttention"/>'s: on all-MiniLM-L6-v2 over 206
    /// varied inputs, mean cosine 0.9984 against <see cref="None"/>, lowest 0.9915.</summary>
    Int8DynamicFloatOutliers = 3,
}
