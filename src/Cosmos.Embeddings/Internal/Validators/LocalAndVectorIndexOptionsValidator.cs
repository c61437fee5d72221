using Cosmos.Embeddings;
using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings.Internal.Validators;

/// <summary>Validates <see cref="CosmosEmbeddingsOptions.Local"/> and <see cref="CosmosEmbeddingsOptions.VectorIndex"/> at start, naming the bad option.</summary>
internal sealed class LocalAndVectorIndexOptionsValidator : IValidateOptions<CosmosEmbeddingsOptions>
{
    public ValidateOptionsResult Validate(string? name, CosmosEmbeddingsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Local is null)
        {
            failures.Add($"{nameof(CosmosEmbeddingsOptions)}.{nameof(CosmosEmbeddingsOptions.Local)} must not be null.");
        }
        else
        {
            Check(failures, options.Local.Validate, nameof(CosmosEmbeddingsOptions.Local));
        }

        if (options.VectorIndex is null)
        {
            failures.Add($"{nameof(CosmosEmbeddingsOptions)}.{nameof(CosmosEmbeddingsOptions.VectorIndex)} must not be null.");
        }
        else
        {
            Check(failures, options.VectorIndex.Validate, nameof(CosmosEmbeddingsOptions.VectorIndex));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, Action validate, string section)
    {
        try
        {
            validate();
        }
        catch (ArgumentException ex)
        {
            // ParamName is the property; prefix it with its section so the message names the full option path.
            failures.Add($"{nameof(CosmosEmbeddingsOptions)}.{section}.{ex.ParamName}: {ex.Message}");
        }
    }
}
