using Microsoft.Extensions.Options;

namespace Cosmos.Embeddings;

/// <summary>Settings of the offline local provider and of the vector indexes created through <see cref="VectorIndexFactory"/>.</summary>
public sealed partial class CosmosEmbeddingsOptions
{
    /// <summary>Gets or sets the settings of the offline <see cref="LocalEmbeddingGenerator"/>.</summary>
    /// <value>The default value is a <see cref="LocalEmbeddingOptions"/> with 384 dimensions and 3-5 character n-grams.</value>
    [ValidateObjectMembers]
    public LocalEmbeddingOptions Local { get; set; } = new();

    /// <summary>Gets or sets the storage settings applied by the registered <see cref="VectorIndexFactory"/>.</summary>
    /// <value>The default value is a <see cref="VectorIndexOptions"/> with float storage and 4x rescoring.</value>
    [ValidateObjectMembers]
    public VectorIndexOptions VectorIndex { get; set; } = new();
}
