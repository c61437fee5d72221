using System.ComponentModel.DataAnnotations;

namespace Cosmos.Embeddings.Onnx;

/// <summary>Where a sentence-transformer model lives and how it is run by <see cref="OnnxEmbeddingGenerator"/>.</summary>
/// <remarks>
/// <para>The folder holds the ONNX graph (<see cref="ModelFileName"/>) and the WordPiece vocabulary (<see cref="VocabularyFileName"/>),
/// as exported by sentence-transformers or Hugging Face Optimum. Settings left <see langword="null"/> are read from the folder's
/// sentence-transformers files when present: <c>sentence_bert_config.json</c> (<c>max_seq_length</c>, <c>do_lower_case</c>),
/// <c>1_Pooling/config.json</c> (pooling mode), <c>modules.json</c> (a <c>Normalize</c> module), <c>tokenizer_config.json</c>
/// (<c>do_lower_case</c>, <c>model_max_length</c>); otherwise the documented defaults apply.</para>
/// </remarks>
public sealed class OnnxEmbeddingOptions
{
    /// <summary>The default of <see cref="MaxSequenceLength"/> when neither the options nor the model folder give one: BERT's position limit.</summary>
    public const int DefaultMaxSequenceLength = 512;

    /// <summary>Gets or sets the folder that holds the model and vocabulary files.</summary>
    /// <value>The default value is <see langword="null"/>; a folder is required.</value>
    [Required]
    public string? ModelDirectory { get; set; }

    /// <summary>Gets or sets the file name of the ONNX graph inside <see cref="ModelDirectory"/>.</summary>
    /// <value>The default value is <c>model.onnx</c>.</value>
    [Required]
    public string ModelFileName { get; set; } = "model.onnx";

    /// <summary>Gets or sets the file name of the WordPiece vocabulary (one token per line) inside <see cref="ModelDirectory"/>.</summary>
    /// <value>The default value is <c>vocab.txt</c>.</value>
    [Required]
    public string VocabularyFileName { get; set; } = "vocab.txt";

    /// <summary>Gets or sets the model id stamped on every embedding and reported in <c>EmbeddingGeneratorMetadata</c>,
    /// e.g. <c>sentence-transformers/all-MiniLM-L6-v2</c>.</summary>
    /// <value>The default value is <see langword="null"/>: the name of <see cref="ModelDirectory"/>'s last folder.</value>
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the most tokens per input, <c>[CLS]</c> and <c>[SEP]</c> included; longer inputs are truncated and
    /// reported as truncated on their embedding (<see cref="EmbeddingPropertyNames.Truncated"/>).</summary>
    /// <value>The default value is <see langword="null"/>: the folder's <c>max_seq_length</c> or <c>model_max_length</c>, else <see cref="DefaultMaxSequenceLength"/>.</value>
    [Range(3, 8192)]
    public int? MaxSequenceLength { get; set; }

    /// <summary>Gets or sets how token vectors are pooled into the sentence vector.</summary>
    /// <value>The default value is <see langword="null"/>: the folder's <c>1_Pooling/config.json</c>, else <see cref="OnnxPoolingMode.Mean"/>.</value>
    [EnumDataType(typeof(OnnxPoolingMode))]
    public OnnxPoolingMode? Pooling { get; set; }

    /// <summary>Gets or sets whether sentence vectors are divided by their L2 norm, so cosine similarity is a dot product.</summary>
    /// <value>The default value is <see langword="null"/>: <see langword="true"/> when the folder's <c>modules.json</c> lists a
    /// <c>Normalize</c> module or has no <c>modules.json</c>, <see langword="false"/> when it lists modules without one.</value>
    public bool? Normalize { get; set; }

    /// <summary>Gets or sets whether text is lower-cased (and accents removed) before WordPiece, as for uncased BERT models.</summary>
    /// <value>The default value is <see langword="null"/>: the folder's <c>do_lower_case</c>, else <see langword="true"/>.</value>
    public bool? LowerCase { get; set; }

    /// <summary>Gets or sets whether accents are removed (NFD, non-spacing marks dropped) before WordPiece.</summary>
    /// <value>The default value is <see langword="null"/>: the folder's <c>strip_accents</c>, else the value of lower-casing, as Hugging Face's tokenizer does.</value>
    public bool? StripAccents { get; set; }

    /// <summary>Gets or sets the most inputs run through the model in one inference; inputs are sorted by length first, so each
    /// inference pads only to its own longest input.</summary>
    /// <value>The default value is 32.</value>
    [Range(1, 1024)]
    public int InferenceBatchSize { get; set; } = 32;

    /// <summary>Gets or sets how the model's weights are run: as stored, or rewritten to int8 once at load
    /// (see <see cref="OnnxQuantization.Int8Dynamic"/>); the file on disk is never changed.</summary>
    /// <value>The default value is <see cref="OnnxQuantization.None"/>.</value>
    [EnumDataType(typeof(OnnxQuantization))]
    public OnnxQuantization Quantization { get; set; }

    /// <summary>Gets or sets the threads ONNX Runtime uses inside one operator.</summary>
    /// <value>The default value is <see langword="null"/>: one per logical processor (<see cref="Environment.ProcessorCount"/>).</value>
    [Range(1, 1024)]
    public int? IntraOpThreads { get; set; }

}
