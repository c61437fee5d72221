using System.Text.Json;

namespace Cosmos.Embeddings.Onnx.Internal;

/// <summary>The settings a model is run with: options first, then the sentence-transformers files in the model folder, then defaults.</summary>
internal sealed record SentenceTransformerSettings(
    string ModelPath,
    string VocabularyPath,
    string ModelId,
    int MaxSequenceLength,
    OnnxPoolingMode Pooling,
    bool Normalize,
    bool LowerCase,
    bool StripAccents)
{
    public static SentenceTransformerSettings Resolve(OnnxEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = options.ModelDirectory
            ?? throw new ArgumentException($"{nameof(OnnxEmbeddingOptions.ModelDirectory)} is required.", nameof(options));
        var modelPath = Path.Combine(directory, options.ModelFileName);
        var vocabularyPath = Path.Combine(directory, options.VocabularyFileName);
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"The ONNX model '{modelPath}' does not exist ({nameof(OnnxEmbeddingOptions.ModelDirectory)}/{nameof(OnnxEmbeddingOptions.ModelFileName)}).", modelPath);
        }

        if (!File.Exists(vocabularyPath))
        {
            throw new FileNotFoundException($"The WordPiece vocabulary '{vocabularyPath}' does not exist ({nameof(OnnxEmbeddingOptions.ModelDirectory)}/{nameof(OnnxEmbeddingOptions.VocabularyFileName)}).", vocabularyPath);
        }

        using var sentenceBert = ReadJson(directory, "sentence_bert_config.json");
        using var tokenizer = ReadJson(directory, "tokenizer_config.json");
        using var pooling = ReadJson(Path.Combine(directory, "1_Pooling"), "config.json");
        using var modules = ReadJson(directory, "modules.json");

        // tokenizer_config.json writes a huge sentinel (1e30) when a model has no limit; only a plausible length counts.
        var tokenizerLimit = Int(tokenizer, "model_max_length") is int limit and <= 8192 ? limit : (int?)null;
        var maxLength = options.MaxSequenceLength ?? Int(sentenceBert, "max_seq_length") ?? tokenizerLimit;
        var lowerCase = options.LowerCase ?? Bool(sentenceBert, "do_lower_case") ?? Bool(tokenizer, "do_lower_case") ?? true;

        return new SentenceTransformerSettings(
            modelPath,
            vocabularyPath,
            string.IsNullOrWhiteSpace(options.ModelId) ? new DirectoryInfo(directory).Name : options.ModelId,
            maxLength ?? OnnxEmbeddingOptions.DefaultMaxSequenceLength,
            options.Pooling ?? PoolingFrom(pooling) ?? OnnxPoolingMode.Mean,
            options.Normalize ?? NormalizeFrom(modules) ?? true,
            lowerCase,
            options.StripAccents ?? Bool(tokenizer, "strip_accents") ?? lowerCase);
    }

    private static JsonDocument? ReadJson(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The model configuration '{path}' is not valid JSON.", ex);
        }
    }

    private static int? Int(JsonDocument? document, string name) =>
        document?.RootElement.ValueKind == JsonValueKind.Object
        && document.RootElement.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.Number
        && value.TryGetInt32(out var result) ? result : null;

    private static bool? Bool(JsonDocument? document, string name) =>
        document?.RootElement.ValueKind == JsonValueKind.Object
        && document.RootElement.TryGetProperty(name, out var value)
        && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static OnnxPoolingMode? PoolingFrom(JsonDocument? document)
    {
        if (Bool(document, "pooling_mode_mean_tokens") == true)
        {
            return OnnxPoolingMode.Mean;
        }

        if (Bool(document, "pooling_mode_cls_token") == true)
        {
            return OnnxPoolingMode.Cls;
        }

        return Bool(document, "pooling_mode_max_tokens") == true ? OnnxPoolingMode.Max : null;
    }

    private static bool? NormalizeFrom(JsonDocument? modules)
    {
        if (modules?.RootElement.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var module in modules.RootElement.EnumerateArray())
        {
            if (module.ValueKind == JsonValueKind.Object
                && module.TryGetProperty("type", out var type)
                && type.GetString() is { } name
                && name.EndsWith(".Normalize", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
