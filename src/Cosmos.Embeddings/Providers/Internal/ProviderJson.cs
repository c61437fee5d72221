using System.Text.Json.Serialization;

namespace Cosmos.Embeddings.Providers.Internal;

// Wire formats of the hosted providers, serialized with source generation so the package stays trimming- and AOT-safe.

internal sealed class OpenAIEmbeddingRequest
{
    [JsonPropertyName("input")]
    public required IReadOnlyList<string> Input { get; init; }

    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("dimensions")]
    public int? Dimensions { get; init; }

    [JsonPropertyName("encoding_format")]
    public string? EncodingFormat { get; init; }
}

internal sealed class OpenAIEmbeddingResponse
{
    [JsonPropertyName("data")]
    public List<OpenAIEmbeddingItem?>? Data { get; init; }

    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("usage")]
    public OpenAIUsage? Usage { get; init; }
}

internal sealed class OpenAIEmbeddingItem
{
    [JsonPropertyName("index")]
    public int? Index { get; init; }

    [JsonPropertyName("embedding")]
    [JsonConverter(typeof(EmbeddingVectorJsonConverter))]
    public float[]? Embedding { get; init; }
}

internal sealed class OpenAIUsage
{
    [JsonPropertyName("prompt_tokens")]
    public long? PromptTokens { get; init; }

    [JsonPropertyName("total_tokens")]
    public long? TotalTokens { get; init; }
}

internal sealed class CohereEmbedRequest
{
    [JsonPropertyName("texts")]
    public required IReadOnlyList<string> Texts { get; init; }

    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("input_type")]
    public required string InputType { get; init; }

    [JsonPropertyName("embedding_types")]
    public required IReadOnlyList<string> EmbeddingTypes { get; init; }

    [JsonPropertyName("output_dimension")]
    public int? OutputDimension { get; init; }

    [JsonPropertyName("truncate")]
    public string? Truncate { get; init; }
}

internal sealed class CohereEmbedResponse
{
    [JsonPropertyName("embeddings")]
    public CohereEmbeddingsByType? Embeddings { get; init; }

    [JsonPropertyName("meta")]
    public CohereMeta? Meta { get; init; }
}

internal sealed class CohereEmbeddingsByType
{
    [JsonPropertyName("float")]
    public List<float[]?>? Float { get; init; }
}

internal sealed class CohereMeta
{
    [JsonPropertyName("billed_units")]
    public CohereBilledUnits? BilledUnits { get; init; }
}

internal sealed class CohereBilledUnits
{
    [JsonPropertyName("input_tokens")]
    public long? InputTokens { get; init; }
}

internal sealed class TeiEmbedRequest
{
    [JsonPropertyName("inputs")]
    public required IReadOnlyList<string> Inputs { get; init; }

    [JsonPropertyName("normalize")]
    public bool Normalize { get; init; }

    [JsonPropertyName("truncate")]
    public bool Truncate { get; init; }
}

internal sealed class OllamaEmbedRequest
{
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("input")]
    public required IReadOnlyList<string> Input { get; init; }

    [JsonPropertyName("truncate")]
    public bool? Truncate { get; init; }

    [JsonPropertyName("keep_alive")]
    public string? KeepAlive { get; init; }
}

internal sealed class OllamaEmbedResponse
{
    [JsonPropertyName("model")]
    public string? Model { get; init; }

    [JsonPropertyName("embeddings")]
    public List<float[]?>? Embeddings { get; init; }

    [JsonPropertyName("prompt_eval_count")]
    public long? PromptEvalCount { get; init; }
}

internal sealed class VoyageEmbeddingRequest
{
    [JsonPropertyName("input")]
    public required IReadOnlyList<string> Input { get; init; }

    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("input_type")]
    public string? InputType { get; init; }

    [JsonPropertyName("output_dimension")]
    public int? OutputDimension { get; init; }

    [JsonPropertyName("truncation")]
    public bool? Truncation { get; init; }
}

internal sealed class VertexPredictRequest
{
    [JsonPropertyName("instances")]
    public required IReadOnlyList<VertexInstance> Instances { get; init; }

    [JsonPropertyName("parameters")]
    public VertexParameters? Parameters { get; init; }
}

internal sealed class VertexInstance
{
    [JsonPropertyName("content")]
    public required string Content { get; init; }

    [JsonPropertyName("task_type")]
    public string? TaskType { get; init; }
}

internal sealed class VertexParameters
{
    [JsonPropertyName("outputDimensionality")]
    public int? OutputDimensionality { get; init; }

    [JsonPropertyName("autoTruncate")]
    public bool? AutoTruncate { get; init; }
}

internal sealed class VertexPredictResponse
{
    [JsonPropertyName("predictions")]
    public List<VertexPrediction?>? Predictions { get; init; }
}

internal sealed class VertexPrediction
{
    [JsonPropertyName("embeddings")]
    public VertexEmbedding? Embeddings { get; init; }
}

internal sealed class VertexEmbedding
{
    [JsonPropertyName("values")]
    public float[]? Values { get; init; }

    [JsonPropertyName("statistics")]
    public VertexStatistics? Statistics { get; init; }
}

internal sealed class VertexStatistics
{
    [JsonPropertyName("token_count")]
    public double? TokenCount { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OpenAIEmbeddingRequest))]
[JsonSerializable(typeof(OpenAIEmbeddingResponse))]
[JsonSerializable(typeof(CohereEmbedRequest))]
[JsonSerializable(typeof(CohereEmbedResponse))]
[JsonSerializable(typeof(TeiEmbedRequest))]
[JsonSerializable(typeof(List<float[]?>))]
[JsonSerializable(typeof(OllamaEmbedRequest))]
[JsonSerializable(typeof(OllamaEmbedResponse))]
[JsonSerializable(typeof(VoyageEmbeddingRequest))]
[JsonSerializable(typeof(VertexPredictRequest))]
[JsonSerializable(typeof(VertexPredictResponse))]
internal sealed partial class ProviderJsonContext : JsonSerializerContext
{
}
