using System.Diagnostics.CodeAnalysis;

namespace Cosmos.Embeddings.Providers;

/// <summary>How an OpenAI-compatible server encodes vectors in its response (<c>encoding_format</c>).</summary>
public enum EmbeddingEncodingFormat
{
    /// <summary>JSON arrays of numbers; every compatible server supports it.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Named after the wire value 'float'.")]
    Float,

    /// <summary>Base64 of little-endian IEEE-754 float32 values: about a third of the bytes of <see cref="Float"/> and exact.</summary>
    Base64,
}
