using System.Diagnostics.Metrics;
using System.Numerics.Tensors;
using Cosmos.Embeddings.Onnx.Internal;
using Cosmos.Embeddings.Onnx.Internal.Validators;
using Cosmos.Embeddings.Onnx.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Cosmos.Embeddings.Onnx;

/// <summary>
/// Embeds text offline with a sentence-transformer model in ONNX form (for example all-MiniLM-L6-v2): WordPiece tokenization,
/// one model inference per batch, pooling over the attention mask and L2 normalisation, as sentence-transformers does in Python.
/// </summary>
/// <remarks>
/// <para>The path of one request: refuse bad inputs (naming the index) → tokenize, truncating each input to
/// <see cref="MaxSequenceLength"/> tokens → sort inputs by length → run the model over batches of
/// <see cref="OnnxEmbeddingOptions.InferenceBatchSize"/>, each padded only to its own longest input → pool each input's token
/// vectors (mean over the attention mask by default) → normalise → return the vectors in input order.</para>
/// <para>An input that was truncated carries <see cref="EmbeddingPropertyNames.Truncated"/> = <see langword="true"/> and its full
/// token count in <see cref="EmbeddingPropertyNames.TokenCount"/>.</para>
/// <para>Thread-safe: one <see cref="InferenceSession"/> serves concurrent requests (ONNX Runtime's <c>Run</c> is thread-safe).
/// <see cref="GenerateAsync"/> runs the model on the calling thread and returns a completed task.</para>
/// </remarks>
public sealed class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The provider name reported in <see cref="EmbeddingGeneratorMetadata"/>.</summary>
    public const string ProviderName = "onnx";

    private static readonly string[] HiddenStateOutputNames = ["last_hidden_state", "token_embeddings"];

    private readonly InferenceSession _session;
    private readonly WordPieceEncoder _encoder;
    private readonly SentenceTransformerSettings _settings;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _hasTokenTypes;
    private readonly bool _outputIsPooled;
    private readonly int _inferenceBatchSize;
    private readonly TimeProvider? _timeProvider;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly OnnxEmbeddingsMetrics _metrics;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private int _disposed;

    /// <summary>Loads the model and vocabulary that <paramref name="options"/> point to.</summary>
    /// <param name="options">Where the model is and how to run it; read once, so later changes have no effect.</param>
    /// <param name="loggerFactory">Creates the generator's logger; <see langword="null"/> for no logging.</param>
    /// <param name="timeProvider">Stamps <see cref="Embedding.CreatedAt"/> and times inferences; <see langword="null"/> leaves <c>CreatedAt</c> unset.</param>
    /// <param name="meterFactory">Creates the <c>Cosmos.Embeddings.Onnx</c> meter; <see langword="null"/> for a meter owned by this generator.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A setting of <paramref name="options"/> is invalid; the message names it.</exception>
    /// <exception cref="FileNotFoundException">The model or vocabulary file does not exist.</exception>
    /// <exception cref="InvalidDataException">The model has no <c>input_ids</c>/<c>attention_mask</c> inputs or no token or sentence output,
    /// or int8 quantization is asked of a model with no MatMul over constant float weights it applies to.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime cannot load the model.</exception>
    public OnnxEmbeddingGenerator(
        OnnxEmbeddingOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null)
        : this(options, modelId: null, loggerFactory, timeProvider, meterFactory)
    {
    }

    /// <summary>Loads the model; <paramref name="modelId"/>, when given, replaces <see cref="OnnxEmbeddingOptions.ModelId"/>.</summary>
    internal OnnxEmbeddingGenerator(
        OnnxEmbeddingOptions options,
        string? modelId,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider,
        IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        OnnxEmbeddingOptionsValidator.ThrowIfInvalid(options, nameof(options));
        _settings = SentenceTransformerSettings.Resolve(options);
        if (!string.IsNullOrWhiteSpace(modelId))
        {
            _settings = _settings with { ModelId = modelId };
        }

        _inferenceBatchSize = options.InferenceBatchSize;
        _timeProvider = timeProvider;
        _clock = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<OnnxEmbeddingGenerator>();
        _encoder = new WordPieceEncoder(_settings.VocabularyPath, _settings.LowerCase, _settings.StripAccents, _settings.MaxSequenceLength);

        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // ONNX Runtime counts physical cores, which on a VM with SMT hidden or one vCPU per core leaves processors idle.
            IntraOpNumThreads = options.IntraOpThreads ?? Environment.ProcessorCount,
        };

        Quantization = options.Quantization;
        _session = Quantization == OnnxQuantization.None
            ? new InferenceSession(_settings.ModelPath, sessionOptions)
            : new InferenceSession(QuantizeModel(_settings.ModelPath, Quantization, sessionOptions.IntraOpNumThreads), sessionOptions);
        try
        {
            var inputs = _session.InputMetadata;
            if (!inputs.ContainsKey("input_ids") || !inputs.ContainsKey("attention_mask"))
            {
                throw new InvalidDataException(
                    $"The ONNX model '{_settings.ModelPath}' has inputs [{string.Join(", ", inputs.Keys)}]; a sentence-transformer needs 'input_ids' and 'attention_mask'.");
            }

            _hasTokenTypes = inputs.ContainsKey("token_type_ids");
            _inputNames = _hasTokenTypes ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];

            var (outputName, outputMetadata) = ChooseOutput(_session.OutputMetadata, _settings.ModelPath);
            _outputNames = [outputName];
            _outputIsPooled = outputMetadata.Dimensions.Length == 2;
            var dimensions = outputMetadata.Dimensions[^1];
            Dimensions = dimensions > 0 ? dimensions : ProbeDimensions();
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        _metrics = new OnnxEmbeddingsMetrics(meterFactory);
        _metadata = new EmbeddingGeneratorMetadata(ProviderName, providerUri: null, ModelId, Dimensions);
        Log.ModelLoaded(_logger, ModelId, _settings.ModelPath, Dimensions, MaxSequenceLength, Pooling, Normalize);
    }

    /// <summary>Gets the model id stamped on every embedding.</summary>
    public string ModelId => _settings.ModelId;

    /// <summary>Gets the length of the vectors, read from the model.</summary>
    public int Dimensions { get; }

    /// <summary>Gets the most tokens per input, <c>[CLS]</c> and <c>[SEP]</c> included.</summary>
    public int MaxSequenceLength => _settings.MaxSequenceLength;

    /// <summary>Gets how token vectors are pooled.</summary>
    public OnnxPoolingMode Pooling => _settings.Pooling;

    /// <summary>Gets whether vectors are L2-normalised.</summary>
    public bool Normalize => _settings.Normalize;

    /// <summary>Gets how the model's weights are run (<see cref="OnnxEmbeddingOptions.Quantization"/>).</summary>
    public OnnxQuantization Quantization { get; }

    /// <summary>Counts the tokens <paramref name="text"/> has for this model, <c>[CLS]</c> and <c>[SEP]</c> included, before truncation.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The token count; more than <see cref="MaxSequenceLength"/> means the text would be truncated.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _encoder.Encode(text).TokenCount;
    }

    /// <summary>Generates one embedding per input, in input order.</summary>
    /// <param name="values">The texts; none may be <see langword="null"/>, empty or white space.</param>
    /// <param name="options">Optional; <see cref="EmbeddingGenerationOptions.Dimensions"/>, when set, must equal <see cref="Dimensions"/>.
    /// <see cref="EmbeddingGenerationOptions.ModelId"/> is ignored: the generator runs one model and stamps its id.</param>
    /// <param name="cancellationToken">Checked between inference batches.</param>
    /// <returns>The embeddings, each with <see cref="Embedding.ModelId"/> = <see cref="ModelId"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or one of its items is <see langword="null"/>; the message names the index.</exception>
    /// <exception cref="ArgumentException">An input is empty or white space (the message names the index), or another dimension is requested.</exception>
    /// <exception cref="ObjectDisposedException">The generator was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (options?.Dimensions is int requested && requested != Dimensions)
        {
            throw new ArgumentException($"Model '{ModelId}' produces {Dimensions} dimensions; {requested} were requested.", nameof(options));
        }

        var inputs = values as IReadOnlyList<string> ?? [.. values];
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is null)
            {
                throw new ArgumentNullException(nameof(values), $"The input at index {i} is null.");
            }

            if (string.IsNullOrWhiteSpace(inputs[i]))
            {
                throw new ArgumentException($"The input at index {i} is empty or white space; it has no meaning to embed.", nameof(values));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var activity = OnnxEmbeddingsMetrics.ActivitySource.StartActivity(OnnxEmbeddingsTelemetry.GenerateActivityName);
        activity?.SetTag("gen_ai.request.model", ModelId);
        activity?.SetTag("cosmos.embeddings.input_count", inputs.Count);

        var encoded = new EncodedInput[inputs.Count];
        var truncated = 0;
        long tokens = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = _encoder.Encode(inputs[i]);
            tokens += encoded[i].Ids.Length;
            if (encoded[i].IsTruncated)
            {
                truncated++;
            }
        }

        _metrics.Tokens.Add(tokens);
        if (truncated > 0)
        {
            _metrics.TruncatedInputs.Add(truncated);
            Log.InputsTruncated(_logger, truncated, inputs.Count, MaxSequenceLength);
        }

        var vectors = EmbedAll(encoded, cancellationToken);

        var createdAt = _timeProvider?.GetUtcNow();
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        for (var i = 0; i < vectors.Length; i++)
        {
            var embedding = new Embedding<float>(vectors[i]) { ModelId = ModelId, CreatedAt = createdAt };
            if (encoded[i].IsTruncated)
            {
                embedding.AdditionalProperties = new()
                {
                    [EmbeddingPropertyNames.Truncated] = true,
                    [EmbeddingPropertyNames.TokenCount] = encoded[i].TokenCount,
                };
            }

            result.Add(embedding);
        }

        result.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return Task.FromResult(result);
    }

    /// <summary>Returns the <see cref="EmbeddingGeneratorMetadata"/>, this generator, or <see langword="null"/>.</summary>
    /// <param name="serviceType">The requested type.</param>
    /// <param name="serviceKey">Must be <see langword="null"/> for a non-null answer.</param>
    /// <returns>The service, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is <see langword="null"/>.</exception>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Releases the inference session.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _session.Dispose();
            _metrics.Dispose();
        }
    }

    /// <summary>Embeds already tokenized inputs (ids with special tokens); the path <see cref="GenerateAsync"/> takes after tokenizing.</summary>
    internal float[][] EmbedTokenIds(IReadOnlyList<long[]> ids)
    {
        var encoded = new EncodedInput[ids.Count];
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = new EncodedInput(ids[i], ids[i].Length);
        }

        return EmbedAll(encoded, CancellationToken.None);
    }

    /// <summary>The int8 graph of the model at <paramref name="modelPath"/>, built in memory; the file itself is left as it is.</summary>
    private byte[] QuantizeModel(string modelPath, OnnxQuantization quantization, int intraOpThreads)
    {
        var floatModel = File.ReadAllBytes(modelPath);
        var (model, quantized) = quantization == OnnxQuantization.Int8DynamicFloatOutliers
            ? DynamicInt8Quantizer.Quantize(floatModel, ActivationCalibrator.Measure(floatModel, _encoder, CalibrationCorpus.Texts, intraOpThreads))
            : DynamicInt8Quantizer.Quantize(floatModel, squareWeightsOnly: quantization == OnnxQuantization.Int8DynamicAttention);
        if (quantized == 0)
        {
            throw new InvalidDataException($"The ONNX model '{modelPath}' has no MatMul over constant float weights; there is nothing to quantize to int8.");
        }

        Log.ModelQuantized(_logger, modelPath, quantized);
        return model;
    }

    private static (string Name, NodeMetadata Metadata) ChooseOutput(IReadOnlyDictionary<string, NodeMetadata> outputs, string modelPath)
    {
        foreach (var name in HiddenStateOutputNames)
        {
            if (outputs.TryGetValue(name, out var metadata) && metadata.Dimensions.Length == 3)
            {
                return (name, metadata);
            }
        }

        foreach (var (name, metadata) in outputs)
        {
            if (metadata.IsTensor && metadata.ElementType == typeof(float) && metadata.Dimensions.Length is 2 or 3)
            {
                return (name, metadata);
            }
        }

        throw new InvalidDataException($"The ONNX model '{modelPath}' has no float output of token vectors [batch, tokens, dims] or sentence vectors [batch, dims].");
    }

    private int ProbeDimensions()
    {
        // The graph leaves its width symbolic: run it once on a one-token input to learn it.
        var ids = new long[] { _encoder.ClassificationTokenId, _encoder.SeparatorTokenId };
        var vectors = RunBatch([new EncodedInput(ids, 2)], [0], 0, 1, dimensions: -1);
        return vectors.Length;
    }

    private float[][] EmbedAll(EncodedInput[] encoded, CancellationToken cancellationToken)
    {
        // Sorting by length makes each batch pad only to a length close to its inputs' own, which is where most of the
        // speed-up over fixed-length padding comes from; results are written back at each input's original index.
        var order = new int[encoded.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => encoded[a].Ids.Length.CompareTo(encoded[b].Ids.Length));
        var vectors = new float[encoded.Length][];
        for (var start = 0; start < order.Length; start += _inferenceBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            EmbedBatch(encoded, order, start, vectors);
        }

        return vectors;
    }

    private void EmbedBatch(EncodedInput[] encoded, int[] order, int start, float[][] vectors)
    {
        var count = Math.Min(_inferenceBatchSize, order.Length - start);
        var started = _clock.GetTimestamp();
        var batch = RunBatch(encoded, order, start, count, Dimensions);
        if (_metrics.InferenceDuration.Enabled)
        {
            _metrics.InferenceDuration.Record(_clock.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("batch.size", count));
        }

        for (var j = 0; j < count; j++)
        {
            vectors[order[start + j]] = batch[j];
        }
    }

    /// <summary>Runs the model over <c>order[start..start+count]</c>, padded to the longest of them, and pools each into a vector.</summary>
    private float[][] RunBatch(EncodedInput[] encoded, int[] order, int start, int count, int dimensions)
    {
        var sequenceLength = 0;
        for (var j = 0; j < count; j++)
        {
            sequenceLength = Math.Max(sequenceLength, encoded[order[start + j]].Ids.Length);
        }

        var cells = count * sequenceLength;
        var inputIds = new long[cells];
        var attentionMask = new long[cells];
        if (_encoder.PaddingTokenId != 0)
        {
            Array.Fill(inputIds, _encoder.PaddingTokenId);
        }

        for (var j = 0; j < count; j++)
        {
            var ids = encoded[order[start + j]].Ids;
            ids.CopyTo(inputIds, j * sequenceLength);
            attentionMask.AsSpan(j * sequenceLength, ids.Length).Fill(1);
        }

        long[] shape = [count, sequenceLength];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(attentionMask, shape);
        using var typesValue = _hasTokenTypes ? OrtValue.CreateTensorValueFromMemory(new long[cells], shape) : null;
        OrtValue[] values = _hasTokenTypes ? [idsValue, maskValue, typesValue!] : [idsValue, maskValue];

        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, _inputNames, values, _outputNames);
        var output = outputs[0];
        var data = output.GetTensorDataAsSpan<float>();
        var outputShape = output.GetTensorTypeAndShape().Shape;
        var width = (int)outputShape[^1];
        if (dimensions > 0 && width != dimensions)
        {
            throw new InvalidDataException($"The ONNX model '{_settings.ModelPath}' produced {width} dimensions; {dimensions} were expected.");
        }

        var vectors = new float[count][];
        for (var j = 0; j < count; j++)
        {
            var vector = new float[width];
            if (_outputIsPooled)
            {
                data.Slice(j * width, width).CopyTo(vector);
            }
            else
            {
                var tokens = encoded[order[start + j]].Ids.Length;
                Pool(data.Slice(j * sequenceLength * width, sequenceLength * width), tokens, width, vector);
            }

            if (_settings.Normalize)
            {
                var norm = TensorPrimitives.Norm(vector);
                if (norm > 0f)
                {
                    TensorPrimitives.Divide(vector, norm, vector);
                }
            }

            vectors[j] = vector;
        }

        return vectors;
    }

    /// <summary>Pools the first <paramref name="tokens"/> token vectors (those under the attention mask; padding follows them).</summary>
    private void Pool(ReadOnlySpan<float> hidden, int tokens, int width, Span<float> destination)
    {
        switch (_settings.Pooling)
        {
            case OnnxPoolingMode.Cls:
                hidden[..width].CopyTo(destination);
                break;
            case OnnxPoolingMode.Max:
                hidden[..width].CopyTo(destination);
                for (var t = 1; t < tokens; t++)
                {
                    TensorPrimitives.Max(destination, hidden.Slice(t * width, width), destination);
                }

                break;
            default:
                // mean = (Σ_{t < tokens} h_t) / tokens: the attention mask is 1 exactly on the first `tokens` positions.
                hidden[..width].CopyTo(destination);
                for (var t = 1; t < tokens; t++)
                {
                    TensorPrimitives.Add(destination, hidden.Slice(t * width, width), destination);
                }

                TensorPrimitives.Multiply(destination, 1f / tokens, destination);
                break;
        }
    }
}
