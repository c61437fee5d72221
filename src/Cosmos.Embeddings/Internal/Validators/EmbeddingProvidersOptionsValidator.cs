using Cosmos.Embeddings.Providers;
using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings.Internal.Validators;

/// <summary>Validates <see cref="CosmosEmbeddingsOptions.Providers"/> at start: every entry's settings, and unique names.</summary>
internal sealed class EmbeddingProvidersOptionsValidator : IValidateOptions<CosmosEmbeddingsOptions>
{
    public ValidateOptionsResult Validate(string? name, CosmosEmbeddingsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < options.Providers.Count; i++)
        {
            string path = $"{nameof(CosmosEmbeddingsOptions.Providers)}[{i}]";
            var provider = options.Providers[i];
            if (provider is null)
            {
                failures.Add($"{path} is null.");
                continue;
            }

            provider.Validate(failures, path);
            if (!names.TryAdd(provider.Name, i))
            {
                failures.Add($"{path}.{nameof(EmbeddingProviderOptions.Name)} '{provider.Name}' is also used by {nameof(CosmosEmbeddingsOptions.Providers)}[{names[provider.Name]}]; provider names must be unique.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
