namespace Cosmos.Embeddings.Onnx.Telemetry;

/// <summary>The names under which <see cref="OnnxEmbeddingGenerator"/> reports metrics and traces.</summary>
/// <remarks>Subscribe with <c>AddMeter(OnnxEmbeddingsTelemetry.MeterName)</c> and <c>AddSource(OnnxEmbeddingsTelemetry.ActivitySourceName)</c>.</remarks>
public static class OnnxEmbeddingsTelemetry
{
    /// <summary>The name of the package's meter.</summary>
    public const string MeterName = "Cosmos.Embeddings.Onnx";

    /// <summary>The name of the package's activity source.</summary>
    public const string ActivitySourceName = "Cosmos.Embeddings.Onnx";

    /// <summary>Histogram, seconds: time of one model inference over one padded batch, tagged <c>batch.size</c>.</summary>
    public const string InferenceDurationName = "cosmos.embeddings.onnx.inference.duration";

    /// <summary>Counter, tokens: tokens fed to the model (after truncation, before padding).</summary>
    public const string TokensName = "cosmos.embeddings.onnx.tokens";

    /// <summary>Counter, inputs: inputs longer than the model's sequence length, embedded from their first tokens.</summary>
    public const string TruncatedInputsName = "cosmos.embeddings.onnx.truncated_inputs";

    /// <summary>The span of one <c>GenerateAsync</c> call: tokenization and every inference batch of it.</summary>
    public const string GenerateActivityName = "cosmos.embeddings.onnx.generate";
}
