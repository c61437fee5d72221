using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings.Onnx.Internal.Validators;

/// <summary>Checks the DataAnnotations of <see cref="OnnxEmbeddingOptions"/> (source-generated), then that the model files exist.</summary>
[OptionsValidator]
internal sealed partial class OnnxEmbeddingOptionsValidator : IValidateOptions<OnnxEmbeddingOptions>
{
    /// <summary>Throws <see cref="ArgumentException"/> naming every invalid setting of <paramref name="options"/>.</summary>
    public static void ThrowIfInvalid(OnnxEmbeddingOptions options, string paramName)
    {
        var failures = Collect(options, nameof(OnnxEmbeddingOptions));
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), paramName);
        }
    }

    /// <summary>Every failure of <paramref name="options"/>, each naming the setting under <paramref name="path"/>.</summary>
    public static List<string> Collect(OnnxEmbeddingOptions options, string path)
    {
        var failures = new List<string>();
        var annotations = new OnnxEmbeddingOptionsValidator().Validate(path, options);
        if (annotations.Failed)
        {
            failures.AddRange(annotations.Failures);
        }

        var files = new OnnxModelFilesValidator().Validate(path, options);
        if (files.Failed)
        {
            failures.AddRange(files.Failures);
        }

        return failures;
    }
}
