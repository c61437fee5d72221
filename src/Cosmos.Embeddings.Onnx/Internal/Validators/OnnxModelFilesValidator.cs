using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings.Onnx.Internal.Validators;

/// <summary>Checks what annotations cannot: that the model folder and both of its files exist, so a bad path fails at start.</summary>
internal sealed class OnnxModelFilesValidator : IValidateOptions<OnnxEmbeddingOptions>
{
    public ValidateOptionsResult Validate(string? name, OnnxEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = string.IsNullOrEmpty(name) ? nameof(OnnxEmbeddingOptions) : name;
        if (string.IsNullOrWhiteSpace(options.ModelDirectory))
        {
            // The [Required] annotation reports a missing folder.
            return ValidateOptionsResult.Skip;
        }

        if (!Directory.Exists(options.ModelDirectory))
        {
            return ValidateOptionsResult.Fail($"{path}.{nameof(OnnxEmbeddingOptions.ModelDirectory)}: the folder '{options.ModelDirectory}' does not exist.");
        }

        var failures = new List<string>();
        foreach (var (setting, file) in new[]
        {
            (nameof(OnnxEmbeddingOptions.ModelFileName), options.ModelFileName),
            (nameof(OnnxEmbeddingOptions.VocabularyFileName), options.VocabularyFileName),
        })
        {
            if (string.IsNullOrWhiteSpace(file))
            {
                continue;
            }

            if (!File.Exists(Path.Combine(options.ModelDirectory, file)))
            {
                failures.Add($"{path}.{setting}: '{file}' does not exist in '{options.ModelDirectory}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
