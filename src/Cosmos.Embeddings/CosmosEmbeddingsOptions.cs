namespace Cosmos.Embeddings;

/// <summary>Options for the Cosmos.Embeddings services registered by <c>AddCosmosEmbeddings</c>.</summary>
/// <remarks>Each feature adds its settings in its own part of this class.</remarks>
public sealed partial class CosmosEmbeddingsOptions
{
}
