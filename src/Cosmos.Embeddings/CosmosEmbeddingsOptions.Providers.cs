using Cosmos.Embeddings.Providers;

namespace Cosmos.Embeddings;

public sealed partial class CosmosEmbeddingsOptions
{
    /// <summary>The embedding providers, in fallback order: the first is asked first, the next only when an earlier one fails.</summary>
    /// <remarks>
    /// Add <see cref="OpenAIEmbeddingProviderOptions"/>, <see cref="CohereEmbeddingProviderOptions"/>,
    /// <see cref="HuggingFaceTeiEmbeddingProviderOptions"/>, <see cref="OllamaEmbeddingProviderOptions"/>, ... Entries are
    /// validated when the host starts (each bad setting is named, e.g. <c>Providers[1].ApiKey</c>) and names must be unique.
    /// Each entry becomes its generator, with the named <c>HttpClient</c> of hosted providers from <c>IHttpClientFactory</c>.
    /// </remarks>
    /// <value>The default value is an empty list.</value>
    public IList<EmbeddingProviderOptions> Providers { get; } = new List<EmbeddingProviderOptions>();
}
